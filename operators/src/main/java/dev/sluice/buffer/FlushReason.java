package dev.sluice.buffer;

/** Why a batch was closed; each has its own counter. */
public enum FlushReason {
    /** {@code max_upload_records} reached. */
    RECORDS,
    /** {@code max_upload_bytes} reached. */
    BYTES,
    /** {@code max_upload_interval_seconds} passed since the batch opened. */
    INTERVAL,
    /** The job was disabled or removed: what it accepted while enabled is delivered now. */
    JOB_STOPPED,
    /** The input ended (bounded run or stop with drain): everything buffered is delivered. */
    END_OF_INPUT,
    /** Early: the subtask had {@code buffer.max-active-jobs} open batches; the oldest went out. */
    ACTIVE_JOBS_CAP,
    /** Early: the subtask's open batches held {@code buffer.max-bytes}; the largest went out. */
    BYTES_CAP
}
