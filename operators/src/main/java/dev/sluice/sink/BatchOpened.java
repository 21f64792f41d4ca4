package dev.sluice.sink;

/**
 * A batch the buffer opened: the job's first record since its last batch closed arrived. Sent once
 * per batch, never per record, beside the batch's chunks ({@code BufferOperator.BATCHES_OPENED}),
 * so the jobs' status can tell how long a job's oldest record has waited until its batch commits.
 *
 * @param seq the batch's sequence number, as its object key and manifest carry it
 * @param openedAtMillis when its first record was buffered (processing time, epoch millis)
 */
public record BatchOpened(long jobId, long seq, long openedAtMillis) {}
