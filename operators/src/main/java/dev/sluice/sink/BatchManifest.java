package dev.sluice.sink;

import com.fasterxml.jackson.annotation.JsonProperty;

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
     * The manifest of an object staged without a batch behind it (committables of version 1, whole
     * objects): the job and sequence from its key, unknown counts as -1.
     */
    public static BatchManifest unknown(String key, long length, long records) {
        long[] jobSeq = ObjectKeys.jobAndSequence(key).orElse(new long[] {-1, -1});
        return new BatchManifest(
                jobSeq[0], jobSeq[1], key, records, -1, length, 0, 0, "", "", "", -1, -1, -1, -1);
    }
}
