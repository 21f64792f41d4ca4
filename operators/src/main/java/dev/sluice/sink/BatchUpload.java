package dev.sluice.sink;

import dev.sluice.buffer.BatchChunk;
import dev.sluice.buffer.BatchLedger;
import dev.sluice.config.Compression;
import dev.sluice.sink.store.StagedObject;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One batch being staged chunk by chunk: checks that its chunks arrive whole and in order, hashes
 * the object's bytes as they pass, and at the last chunk yields the committable with its manifest.
 */
final class BatchUpload {

    private final StagedObject staged;
    private final String destination;
    private final String key;
    private final MessageDigest sha256;
    private int nextIndex;

    BatchUpload(StagedObject staged, BatchChunk first) {
        this.staged = staged;
        this.destination = first.destination;
        this.key = first.key;
        this.sha256 = newSha256();
    }

    /** Appends the chunk; refuses one that is not the next of this batch. */
    void append(BatchChunk chunk) throws IOException {
        if (!key.equals(chunk.key) || chunk.index != nextIndex) {
            throw new IllegalStateException(
                    "chunk "
                            + chunk.index
                            + " of "
                            + chunk.key
                            + " arrived while chunk "
                            + nextIndex
                            + " of "
                            + key
                            + " was expected: the buffer and the object sink must be chained"
                            + " (same parallelism, chaining on), so no chunk is ever in flight at"
                            + " a checkpoint");
        }
        staged.append(chunk.data);
        sha256.update(chunk.data);
        nextIndex++;
    }

    /** Stores the rest of the object; {@code last} is the batch's last chunk, already appended. */
    ObjectCommittable finish(BatchChunk last) throws IOException {
        StagedObject.Staged done = staged.finish();
        BatchLedger ledger = last.ledger;
        BatchManifest manifest =
                new BatchManifest(
                        last.jobId,
                        last.seq,
                        key,
                        last.records,
                        last.uncompressedBytes,
                        done.length(),
                        last.firstMicros,
                        last.lastMicros,
                        last.compression,
                        HexFormat.of().formatHex(sha256.digest()),
                        last.flushReason,
                        ledger.recordsIn,
                        ledger.recordsFiltered,
                        ledger.recordsSampledOut,
                        ledger.recordsBatched);
        return new ObjectCommittable(
                destination,
                key,
                done.uploadId(),
                done.partETags(),
                done.length(),
                last.records,
                manifest);
    }

    void abort() {
        staged.abort();
    }

    String key() {
        return key;
    }

    static String contentType(BatchChunk chunk) {
        return Compression.ofStored(chunk.compression).contentType();
    }

    /**
     * The object's user metadata (S3 {@code x-amz-meta-*}): the batch and the job's ledger, so an
     * object read on its own says what it holds and how it fits the job's record count.
     */
    static Map<String, String> metadata(BatchChunk chunk) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sluice-job-id", Long.toString(chunk.jobId));
        m.put("sluice-seq", Long.toString(chunk.seq));
        m.put("sluice-records", Long.toString(chunk.records));
        m.put("sluice-uncompressed-bytes", Long.toString(chunk.uncompressedBytes));
        m.put("sluice-first-event-micros", Long.toString(chunk.firstMicros));
        m.put("sluice-last-event-micros", Long.toString(chunk.lastMicros));
        m.put("sluice-compression", chunk.compression);
        m.put("sluice-flush-reason", chunk.flushReason);
        m.put("sluice-records-in", Long.toString(chunk.ledger.recordsIn));
        m.put("sluice-records-filtered", Long.toString(chunk.ledger.recordsFiltered));
        m.put("sluice-records-sampled-out", Long.toString(chunk.ledger.recordsSampledOut));
        m.put("sluice-records-batched", Long.toString(chunk.ledger.recordsBatched));
        return m;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
