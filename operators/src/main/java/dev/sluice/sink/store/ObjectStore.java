package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A place objects go, with the two phases the sink needs: stage bytes invisibly, streamed in as
 * they come, then make them visible. Implementations must make {@link #commit} idempotent.
 *
 * <p>It also reads, copies and deletes whole objects, for tools that move what the sink wrote
 * (redrive): they reach each destination through the same store, so a destination behaves the same
 * for the job and for its operators. {@link ObjectStores} gives the store of a destination.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Starts staging an object under {@code key}; nothing is visible until {@link #commit}.
     *
     * @param contentType the object's media type
     * @param metadata user metadata stored with the object (S3 {@code x-amz-meta-*})
     */
    StagedObject begin(
            Destination destination, String key, String contentType, Map<String, String> metadata)
            throws IOException;

    /** Writes a small object visibly in one step, replacing any object under {@code key}. */
    default void put(Destination destination, String key, byte[] body, String contentType)
            throws IOException {
        put(destination, key, body, contentType, Map.of());
    }

    /**
     * Writes a small object visibly in one step, with user metadata (S3 {@code x-amz-meta-*}),
     * replacing any object under {@code key}: all of it or nothing is visible, so writing the same
     * bytes again is harmless. The store checks the body against its Content-MD5.
     */
    void put(
            Destination destination,
            String key,
            byte[] body,
            String contentType,
            Map<String, String> metadata)
            throws IOException;

    /** Stages a whole object held in memory, without metadata: for small objects and tests. */
    default ObjectCommittable stage(
            String destinationConf, Destination destination, String key, byte[] body, long records)
            throws IOException {
        StagedObject staged = begin(destination, key, "application/octet-stream", Map.of());
        try {
            staged.append(body);
            StagedObject.Staged done = staged.finish();
            return ObjectCommittable.staged(
                    destinationConf,
                    key,
                    done.uploadId(),
                    done.partETags(),
                    done.length(),
                    records);
        } catch (IOException | RuntimeException e) {
            staged.abort();
            throw e;
        }
    }

    /**
     * Writes the whole object a committable carries ({@link ObjectCommittable#isWhole}) in one
     * request, with its batch's metadata; writing it again is harmless.
     */
    default void putWhole(Destination destination, ObjectCommittable whole) throws IOException {
        put(
                destination,
                whole.key(),
                whole.body(),
                whole.contentType(),
                whole.manifest().objectMetadata());
    }

    /**
     * Makes a staged object visible and verifies its length; a whole object is written ({@link
     * #putWhole}). Returns {@link CommitOutcome#ALREADY_COMMITTED} when an earlier attempt did it;
     * throws {@link IntegrityException} when what is there is not what was staged.
     */
    CommitOutcome commit(Destination destination, ObjectCommittable committable) throws IOException;

    /**
     * Aborts staged uploads a failed attempt left for {@code jobId} with a batch sequence of at
     * least {@code fromSeq}; no committable of a completed checkpoint can have such a sequence.
     *
     * @return how many were aborted
     */
    int abortStale(Destination destination, long jobId, long fromSeq) throws IOException;

    /** Every object whose key starts with {@code prefix}, without staged, invisible ones. */
    List<ListedObject> list(Destination destination, String prefix) throws IOException;

    /** What the store knows of the object under {@code key}; empty if there is none. */
    Optional<ObjectHead> head(Destination destination, String key) throws IOException;

    /** The object's bytes; the caller closes the stream. */
    InputStream read(Destination destination, String key) throws IOException;

    /**
     * Writes {@code length} bytes of {@code body} under {@code key}, replacing any object there,
     * with memory bounded however large the object: visible only once all of it is there, and never
     * if the body is shorter or longer than {@code length}.
     */
    void write(
            Destination destination,
            String key,
            InputStream body,
            long length,
            String contentType,
            Map<String, String> metadata)
            throws IOException;

    /** Deletes the object under {@code key}; deleting what is not there is no error. */
    void delete(Destination destination, String key) throws IOException;

    /** Whether objects keep their content type and user metadata; local files do not. */
    boolean keepsMetadata();

    /** The object's address for people: {@code s3://bucket/key}, {@code r2://…} or a path. */
    String location(Destination destination, String key);

    @Override
    void close();
}
