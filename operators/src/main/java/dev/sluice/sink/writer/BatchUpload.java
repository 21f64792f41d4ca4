package dev.sluice.sink.writer;

import dev.sluice.config.Compression;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.store.StagedObject;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One batch being staged chunk by chunk: checks that its chunks arrive whole and in order, hashes
 * the object's bytes as they pass, and at the last chunk yields the committable with its manifest.
 */
final class BatchUpload {

    private final StagedObject staged;
    private final String destination;
    private final String key;
    private final MessageDigest sha256;

    /** Null when nothing is kept: there is nowhere else to stage the batch. */
    private RetainedChunks retained;

    private int nextIndex;
    private long length;

    /**
     * @param destination the {@code destination_conf} the object is staged in (the job's, or the
     *     park destination)
     * @param key the key it is staged under
     * @param retainInMemory bytes of chunks kept in memory so that the batch can be staged
     *     elsewhere if this store fails midway (the rest is spilled to a local file); negative to
     *     keep nothing, when there is nowhere else
     */
    BatchUpload(StagedObject staged, String destination, String key, long retainInMemory) {
        this.staged = staged;
        this.destination = destination;
        this.key = key;
        this.retained = retainInMemory < 0 ? null : new RetainedChunks(retainInMemory);
        this.sha256 = newSha256();
    }

    /** Checks that {@code chunk} is the next of this batch. */
    void expect(BatchChunk chunk) {
        expectNext(chunk, nextIndex, key);
    }

    /** Checks that {@code chunk} is chunk {@code next} of the batch staged under {@code key}. */
    static void expectNext(BatchChunk chunk, int next, String key) {
        if (chunk.index != next) {
            throw new IllegalStateException(
                    "chunk "
                            + chunk.index
                            + " of "
                            + chunk.key
                            + " arrived while chunk "
                            + next
                            + " of "
                            + key
                            + " was expected: the buffer and the object sink must be chained"
                            + " (same parallelism, chaining on), so no chunk is ever in flight at"
                            + " a checkpoint");
        }
    }

    /**
     * Appends the next chunk's bytes. On failure the object is left as it is: the caller may move
     * the batch elsewhere with {@link #abortKeepingChunks}.
     */
    void append(byte[] data) throws IOException {
        if (retained != null) {
            retained.add(data);
        }
        nextIndex++;
        length += data.length;
        sha256.update(data);
        staged.append(data);
    }

    /**
     * Aborts the upload and gives the caller every chunk appended so far, to stage elsewhere; the
     * caller closes them.
     */
    RetainedChunks abortKeepingChunks() {
        if (retained == null) {
            throw new IllegalStateException(key + ": no chunks were kept");
        }
        staged.abort();
        RetainedChunks chunks = retained;
        retained = null;
        return chunks;
    }

    /** The store acknowledged every byte: the chunks kept are no longer needed. */
    void release() {
        if (retained != null) {
            retained.close();
            retained = null;
        }
    }

    /**
     * Stores the rest of the object; {@code last} is the batch's last chunk, already appended. The
     * future yields the committable once every byte is stored; its manifest describes the object as
     * staged, under its (possibly parked) key.
     */
    CompletableFuture<ObjectCommittable> finishAsync(BatchChunk last) {
        String sha = HexFormat.of().formatHex(sha256.digest());
        return staged.finishAsync().thenApply(done -> committable(last, sha, done));
    }

    private ObjectCommittable committable(BatchChunk last, String sha, StagedObject.Staged done) {
        return ObjectCommittable.staged(
                destination,
                key,
                done.uploadId(),
                done.partETags(),
                done.length(),
                last.records,
                BatchManifest.of(last, key, done.length(), sha));
    }

    void abort() {
        staged.abort();
        release();
    }

    String key() {
        return key;
    }

    /** Bytes appended so far. */
    long length() {
        return length;
    }

    static String contentType(BatchChunk chunk) {
        return Compression.ofStored(chunk.compression).contentType();
    }

    /** The object's user metadata (S3 {@code x-amz-meta-*}), known from any chunk of its batch. */
    static Map<String, String> metadata(BatchChunk chunk) {
        return BatchManifest.of(chunk, chunk.key, -1, "").objectMetadata();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
