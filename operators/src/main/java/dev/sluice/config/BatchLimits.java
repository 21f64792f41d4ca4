package dev.sluice.config;

/** The limits that close a batch: whichever is reached first. */
public record BatchLimits(long maxBytes, long maxRecords, long maxIntervalMillis) {

    /** The limits a buffer applies to a job its subtask has not heard of yet. */
    public static BatchLimits defaults() {
        return new DeliveryJob(0, null, null, true, null, null, 0L, 0L, 0L).limits();
    }
}
