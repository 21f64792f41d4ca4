package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;

import java.io.IOException;
import java.util.Map;

/**
 * A place objects go, with the two phases the sink needs: stage bytes invisibly, streamed in as
 * they come, then make them visible. Implementations must make {@link #commit} idempotent.
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
            return new ObjectCommittable(
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

    @Override
    void close();
}
