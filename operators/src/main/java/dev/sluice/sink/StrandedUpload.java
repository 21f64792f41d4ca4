package dev.sluice.sink;

import dev.sluice.config.Destination;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A staged object whose destination kept refusing to complete it: its bytes stay staged in that
 * destination (an unfinished multipart upload, or a temp file), and this record, parked in the park
 * store, says how to complete it. It is a batch parked by reference: its bytes cannot be moved,
 * since the only store holding them is the one failing. {@code bin/sluice redrive} completes it
 * once the destination is fixed, with credentials given again (the record holds none).
 *
 * <p>An S3 lifecycle rule that aborts incomplete multipart uploads (often after 7 days) removes the
 * staged bytes: a stranded upload must be redriven before that.
 *
 * @param destination the job's {@code destination_conf}, credentials redacted
 * @param reason why it was stranded: the destination's last error
 */
public record StrandedUpload(
        @JsonProperty("destination") String destination,
        @JsonProperty("key") String key,
        @JsonProperty("upload_id") String uploadId,
        @JsonProperty("part_etags") List<String> partETags,
        @JsonProperty("length") long length,
        @JsonProperty("records") long records,
        @JsonProperty("reason") String reason,
        @JsonProperty("manifest") BatchManifest manifest) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public StrandedUpload {
        partETags = List.copyOf(partETags);
    }

    /** The record of {@code staged}, which its destination would not complete. */
    public static StrandedUpload of(ObjectCommittable staged, String reason) {
        if (staged.isWhole()) {
            throw new IllegalArgumentException(
                    staged.key() + " is whole: it is parked, not stranded");
        }
        return new StrandedUpload(
                Destination.redact(staged.destination()),
                staged.key(),
                staged.uploadId(),
                staged.partETags(),
                staged.length(),
                staged.records(),
                reason,
                staged.manifest());
    }

    /** The committable that completes the upload in {@code destinationConf} (with credentials). */
    public ObjectCommittable committable(String destinationConf) {
        return ObjectCommittable.staged(
                destinationConf, key, uploadId, partETags, length, records, manifest);
    }

    public byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    public static StrandedUpload fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, StrandedUpload.class);
    }

    /** UTF-8 JSON, for logs and tests. */
    @Override
    public String toString() {
        try {
            return new String(toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return key;
        }
    }
}
