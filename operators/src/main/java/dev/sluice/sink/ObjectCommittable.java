package dev.sluice.sink;

import dev.sluice.config.Destination;

import java.util.List;

/**
 * A staged object waiting for its checkpoint: everything the committer needs to make it visible and
 * to verify it. Small and immutable, as it lives in checkpoints.
 *
 * @param destination the job's {@code destination_conf}
 * @param key the object key
 * @param uploadId the store's handle on the staged bytes (S3 upload id, or temp file name)
 * @param partETags the ETags of the uploaded parts, in part order (empty for files)
 * @param length the object's exact length in bytes
 * @param records how many records the object holds
 * @param manifest the batch's manifest; for committables of version 1, only what they held
 */
public record ObjectCommittable(
        String destination,
        String key,
        String uploadId,
        List<String> partETags,
        long length,
        long records,
        BatchManifest manifest) {

    public ObjectCommittable {
        partETags = List.copyOf(partETags);
    }

    /** A committable whose manifest knows only the key, the length and the record count. */
    public ObjectCommittable(
            String destination,
            String key,
            String uploadId,
            List<String> partETags,
            long length,
            long records) {
        this(
                destination,
                key,
                uploadId,
                partETags,
                length,
                records,
                BatchManifest.unknown(key, length, records));
    }

    /** Without the destination's credentials: committables end up in Flink's logs. */
    @Override
    public String toString() {
        return "ObjectCommittable["
                + Destination.redact(destination)
                + ", key="
                + key
                + ", uploadId="
                + uploadId
                + ", parts="
                + partETags.size()
                + ", length="
                + length
                + ", records="
                + records
                + "]";
    }
}
