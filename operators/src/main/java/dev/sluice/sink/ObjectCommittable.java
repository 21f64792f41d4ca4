package dev.sluice.sink;

import dev.sluice.config.Compression;
import dev.sluice.config.Destination;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An object waiting for its checkpoint: everything the committer needs to make it visible and to
 * verify it. It lives in checkpoints, so it is immutable, and small but for a whole object's body
 * (at most the whole-object size, and 64 MiB a writer per checkpoint: {@link SinkSettings}). The
 * body is shared, not copied: nothing writes to it once the writer hands it over.
 *
 * @param destination the job's {@code destination_conf}
 * @param key the object key
 * @param uploadId the store's handle on the staged bytes (S3 upload id, or temp file name)
 * @param partETags the ETags of the uploaded parts, in part order (empty for files)
 * @param length the object's exact length in bytes
 * @param records how many records the object holds
 * @param manifest the batch's manifest; for committables of version 1, only what they held
 * @param body the whole object, for one that nothing was staged for: the committer writes it in one
 *     request ({@link #whole}); null for an object staged in the store
 * @param parkedReason why the batch is parked instead of delivered (then {@code destination} and
 *     {@code key} are the park store's); empty for a batch bound for its own destination. The job's
 *     status ({@code dev.sluice.status}) learns a job's failures from it after the commit.
 */
public record ObjectCommittable(
        String destination,
        String key,
        String uploadId,
        List<String> partETags,
        long length,
        long records,
        BatchManifest manifest,
        byte[] body,
        String parkedReason) {

    public ObjectCommittable {
        partETags = List.copyOf(partETags);
        parkedReason = parkedReason == null ? "" : parkedReason;
        if (body != null && body.length != length) {
            throw new IllegalArgumentException(
                    key + ": a body of " + body.length + " bytes for an object of " + length);
        }
    }

    /** A committable of an object staged in the store, bound for its own destination. */
    public static ObjectCommittable staged(
            String destination,
            String key,
            String uploadId,
            List<String> partETags,
            long length,
            long records,
            BatchManifest manifest) {
        return new ObjectCommittable(
                destination, key, uploadId, partETags, length, records, manifest, null, "");
    }

    /** A staged committable whose manifest knows only the key, the length and the record count. */
    public static ObjectCommittable staged(
            String destination,
            String key,
            String uploadId,
            List<String> partETags,
            long length,
            long records) {
        return staged(
                destination,
                key,
                uploadId,
                partETags,
                length,
                records,
                BatchManifest.unknown(key, length, records));
    }

    /**
     * A committable carrying its whole object: nothing was staged, and the committer writes it in
     * one request once the checkpoint is complete.
     */
    public static ObjectCommittable whole(
            String destination, String key, byte[] body, BatchManifest manifest) {
        return new ObjectCommittable(
                destination,
                key,
                "",
                List.of(),
                body.length,
                manifest.records(),
                manifest,
                body,
                "");
    }

    /** The object's media type, by its batch's compression. */
    public String contentType() {
        return Compression.ofStored(manifest.compression()).contentType();
    }

    /** Whether the committable carries its object's bytes ({@link #whole}). */
    public boolean isWhole() {
        return body != null;
    }

    /** Whether the batch went to the park store instead of its destination. */
    public boolean isParked() {
        return !parkedReason.isEmpty();
    }

    /**
     * This batch as parked: stored as {@code parkedKey} in the park store {@code parkConf}, for
     * {@code reason} (shortened to what a parked object's metadata keeps).
     */
    public ObjectCommittable parked(String parkConf, String parkedKey, String reason) {
        String why = Parking.shortReason(reason);
        return new ObjectCommittable(
                parkConf,
                parkedKey,
                uploadId,
                partETags,
                length,
                records,
                manifest.withKey(parkedKey),
                body,
                why.isEmpty() ? "parked" : why);
    }

    /** Equal components; the body by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectCommittable c
                && destination.equals(c.destination)
                && key.equals(c.key)
                && uploadId.equals(c.uploadId)
                && partETags.equals(c.partETags)
                && length == c.length
                && records == c.records
                && manifest.equals(c.manifest)
                && Arrays.equals(body, c.body)
                && parkedReason.equals(c.parkedReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                        destination,
                        key,
                        uploadId,
                        partETags,
                        length,
                        records,
                        manifest,
                        parkedReason)
                + 31 * Arrays.hashCode(body);
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
                + (body == null ? "" : ", whole")
                + (parkedReason.isEmpty() ? "" : ", parked")
                + "]";
    }

    /**
     * The committable of a batch that is not staged: it carries {@code body}, the batch's chunks
     * ending with {@code last}, as the whole object.
     */
    public static ObjectCommittable whole(BatchChunk last, byte[] body) {
        String sha = HexFormat.of().formatHex(sha256(body));
        return whole(
                last.destination,
                last.key,
                body,
                BatchManifest.of(last, last.key, body.length, sha));
    }

    private static byte[] sha256(byte[] body) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
