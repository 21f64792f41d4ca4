package dev.sluice.sink;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record of one delivered batch: what it holds, where its records came from, and the checksum
 * of the object's bytes. Travels in the committable and is published once the object is committed,
 * so a downstream reconciliation can prove every job's records delivered, filtered, sampled out or
 * still buffered, batch by batch.
 *
 * @param sha256 hex SHA-256 of the object's bytes, as the writer uploaded them
 * @param recordsBatched the job's records in this and every earlier batch
 */
public record BatchManifest(
        @JsonProperty("job_id") long jobId,
        @JsonProperty("seq") long seq,
        @JsonProperty("key") String key,
        @JsonProperty("records") long records,
        @JsonProperty("uncompressed_bytes") long uncompressedBytes,
        @JsonProperty("object_bytes") long objectBytes,
        @JsonProperty("first_event_micros") long firstMicros,
        @JsonProperty("last_event_micros") long lastMicros,
        @JsonProperty("compression") String compression,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("flush_reason") String flushReason,
        @JsonProperty("records_in") long recordsIn,
        @JsonProperty("records_filtered") long recordsFiltered,
        @JsonProperty("records_sampled_out") long recordsSampledOut,
        @JsonProperty("records_batched") long recordsBatched) {

    /**
     * The object's user metadata (S3 {@code x-amz-meta-*}): the batch and the job's ledger, so an
     * object read on its own says what it holds and how it fits the job's record count.
     */
    public Map<String, String> objectMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sluice-job-id", Long.toString(jobId));
        m.put("sluice-seq", Long.toString(seq));
        m.put("sluice-records", Long.toString(records));
        m.put("sluice-uncompressed-bytes", Long.toString(uncompressedBytes));
        m.put("sluice-first-event-micros", Long.toString(firstMicros));
        m.put("sluice-last-event-micros", Long.toString(lastMicros));
        m.put("sluice-compression", compression);
        m.put("sluice-flush-reason", flushReason);
        m.put("sluice-records-in", Long.toString(recordsIn));
        m.put("sluice-records-filtered", Long.toString(recordsFiltered));
        m.put("sluice-records-sampled-out", Long.toString(recordsSampledOut));
        m.put("sluice-records-batched", Long.toString(recordsBatched));
        return m;
    }

    /** This manifest for the same batch stored under {@code newKey} (a parked batch). */
    public BatchManifest withKey(String newKey) {
        return new BatchManifest(
                jobId,
                seq,
                newKey,
                records,
                uncompressedBytes,
                objectBytes,
                firstMicros,
                lastMicros,
                compression,
                sha256,
                flushReason,
                recordsIn,
                recordsFiltered,
                recordsSampledOut,
                recordsBatched);
    }

    /**
     * The manifest of an object staged without a batch behind it (committables of version 1, whole
     * objects): the job and sequence from its key, unknown counts as -1.
     */
    public static BatchManifest unknown(String key, long length, long records) {
        long[] jobSeq = ObjectKeys.jobAndSequence(key).orElse(new long[] {-1, -1});
        return new BatchManifest(
                jobSeq[0], jobSeq[1], key, records, -1, length, 0, 0, "", "", "", -1, -1, -1, -1);
    }

    /**
     * The manifest of {@code chunk}'s batch (every chunk carries its batch's totals) stored under
     * {@code key} as {@code length} bytes of SHA-256 {@code sha}.
     */
    public static BatchManifest of(BatchChunk chunk, String key, long length, String sha) {
        BatchLedger ledger = chunk.ledger;
        return new BatchManifest(
                chunk.jobId,
                chunk.seq,
                key,
                chunk.records,
                chunk.uncompressedBytes,
                length,
                chunk.firstMicros,
                chunk.lastMicros,
                chunk.compression,
                sha,
                chunk.flushReason,
                ledger.recordsIn,
                ledger.recordsFiltered,
                ledger.recordsSampledOut,
                ledger.recordsBatched);
    }
}
