package dev.sluice.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;

/**
 * A delivery job's status, as Logpush's job API shows it: how its last batch went, when it last
 * delivered and last failed, why, and what it delivered and parked since its first batch. Kept per
 * job in keyed state ({@link JobStatusOperator}) and published to the status topic as JSON ({@link
 * #toJson}), keyed by job id.
 *
 * @param lastComplete when an object of the job was last committed to its destination (epoch
 *     millis); 0 for never
 * @param lastError when a batch of the job was last parked (epoch millis); 0 for never
 * @param errorMessage why, credentials redacted; empty for never
 * @param lastEventMicros the event time of the newest record delivered; 0 for none
 * @param oldestBuffered when the oldest batch of the job not yet committed opened, so when its
 *     oldest record still buffered came (epoch millis); 0 for none
 * @param oldestBufferedSeq that batch's sequence number
 * @param newestOpened when the newest batch opened (epoch millis); 0 for none: it becomes the
 *     oldest when the batches before it commit
 * @param newestOpenedSeq that batch's sequence number
 */
public record JobStatus(
        long jobId,
        JobState state,
        long lastComplete,
        long lastError,
        String errorMessage,
        long recordsDelivered,
        long bytesDelivered,
        long parkedBatches,
        long parkedRecords,
        long lastEventMicros,
        long oldestBuffered,
        long oldestBufferedSeq,
        long newestOpened,
        long newestOpenedSeq) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The status of a job before its first batch. */
    public static JobStatus initial(long jobId) {
        return new JobStatus(jobId, JobState.HEALTHY, 0, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** This status after one more batch opened or committed. */
    public JobStatus with(StatusEvent e) {
        if (e.opening()) {
            return opened(e.seq(), e.at());
        }
        return committed(e).committedSeq(e.seq());
    }

    /**
     * A batch opened: the oldest buffered if none is, and the newest. Only the oldest and the
     * newest batch not yet committed are kept (a fixed size): when several close between two
     * checkpoints, the ones between commit with the oldest, in the same checkpoint.
     */
    private JobStatus opened(long seq, long at) {
        boolean first = oldestBuffered == 0;
        return buffered(first ? at : oldestBuffered, first ? seq : oldestBufferedSeq, at, seq);
    }

    /**
     * The batch {@code seq} committed (delivered or parked): the newest opened becomes the oldest
     * buffered if it came after it, else nothing is buffered. A batch that never commits
     * (discarded) is passed by the next one that does.
     */
    private JobStatus committedSeq(long seq) {
        if (oldestBuffered == 0 || seq < oldestBufferedSeq) {
            return this;
        }
        if (newestOpened != 0 && newestOpenedSeq > seq) {
            return buffered(newestOpened, newestOpenedSeq, newestOpened, newestOpenedSeq);
        }
        return buffered(0, 0, 0, 0);
    }

    private JobStatus buffered(long oldest, long oldestSeq, long newest, long newestSeq) {
        return new JobStatus(
                jobId,
                state,
                lastComplete,
                lastError,
                errorMessage,
                recordsDelivered,
                bytesDelivered,
                parkedBatches,
                parkedRecords,
                lastEventMicros,
                oldest,
                oldestSeq,
                newest,
                newestSeq);
    }

    private JobStatus committed(StatusEvent e) {
        if (e.parked()) {
            return new JobStatus(
                    jobId,
                    JobState.FAILING,
                    lastComplete,
                    Math.max(lastError, e.at()),
                    e.parkedReason(),
                    recordsDelivered,
                    bytesDelivered,
                    parkedBatches + 1,
                    parkedRecords + e.records(),
                    lastEventMicros,
                    oldestBuffered,
                    oldestBufferedSeq,
                    newestOpened,
                    newestOpenedSeq);
        }
        return new JobStatus(
                jobId,
                JobState.HEALTHY,
                Math.max(lastComplete, e.at()),
                lastError,
                errorMessage,
                recordsDelivered + e.records(),
                bytesDelivered + e.bytes(),
                parkedBatches,
                parkedRecords,
                Math.max(lastEventMicros, e.lastEventMicros()),
                oldestBuffered,
                oldestBufferedSeq,
                newestOpened,
                newestOpenedSeq);
    }

    /**
     * The status topic's value: {@code id}, {@code state}, ISO-8601 UTC times ({@code
     * last_complete}, {@code last_error}, {@code last_event}, {@code oldest_buffered}: null for
     * never or none), {@code error_message} (null for none) and the counts.
     */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", jobId);
        o.put("state", state.label());
        o.put("last_complete", isoMillis(lastComplete));
        o.put("last_error", isoMillis(lastError));
        o.put("error_message", errorMessage.isEmpty() ? null : errorMessage);
        o.put("records_delivered", recordsDelivered);
        o.put("bytes_delivered", bytesDelivered);
        o.put("parked_batches", parkedBatches);
        o.put("parked_records", parkedRecords);
        o.put("last_event", lastEventMicros == 0 ? null : isoMillis(lastEventMicros / 1000));
        o.put("oldest_buffered", isoMillis(oldestBuffered));
        return o;
    }

    public byte[] toJsonBytes() {
        try {
            return JSON.writeValueAsBytes(toJson());
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
    }

    /** Reads a status topic value; a value that is not one says why. */
    public static JobStatus fromJson(byte[] value) throws IOException {
        JsonNode o = JSON.readTree(value);
        if (o == null || !o.isObject() || !o.path("id").canConvertToLong()) {
            throw new IOException("not a job status: no numeric id");
        }
        JobState state;
        try {
            state = JobState.valueOf(o.path("state").asText("").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException("not a job status: unknown state " + o.path("state"));
        }
        return new JobStatus(
                o.path("id").asLong(),
                state,
                millis(o.path("last_complete")),
                millis(o.path("last_error")),
                o.path("error_message").isTextual() ? o.path("error_message").asText() : "",
                o.path("records_delivered").asLong(),
                o.path("bytes_delivered").asLong(),
                o.path("parked_batches").asLong(),
                o.path("parked_records").asLong(),
                millis(o.path("last_event")) * 1000,
                millis(o.path("oldest_buffered")),
                0,
                0,
                0);
    }

    private static String isoMillis(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static long millis(JsonNode iso) throws IOException {
        if (!iso.isTextual()) {
            return 0;
        }
        try {
            return Instant.parse(iso.asText()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("not a job status: bad time " + iso.asText());
        }
    }
}
