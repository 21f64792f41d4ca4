package dev.sluice.config;

/** The limits that close a batch: whichever is reached first. */
public record BatchLimits(long maxBytes, long maxRecords, long maxIntervalMillis) {

    /** The limits a buffer applies to a job its subtask has not heard of yet. */
    public static BatchLimits defaults() {
        return new BatchLimits(
                DeliveryJob.DEFAULT_MAX_UPLOAD_BYTES,
                DeliveryJob.DEFAULT_MAX_UPLOAD_RECORDS,
                1000L * DeliveryJob.DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS);
    }
}
