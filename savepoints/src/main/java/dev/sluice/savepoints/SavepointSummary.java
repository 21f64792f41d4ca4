package dev.sluice.savepoints;

import java.util.List;

/**
 * What a Sluice savepoint holds, gathered by {@link SavepointInspector} and formatted by {@link
 * TextReport} or {@link JsonReport}.
 *
 * @param location the directory read
 * @param checkpointId the id of the checkpoint or savepoint
 * @param kind "savepoint", "checkpoint", or "unknown" for metadata without properties
 * @param format "canonical" or "native" for a savepoint, otherwise {@code null}
 * @param stateBackend the backend the reader restored keyed state with
 * @param config the config snapshot in broadcast state
 * @param jobs every job with buffer state, by job id
 * @param warnings inconsistencies found; none in a healthy savepoint
 */
public record SavepointSummary(
        String location,
        long checkpointId,
        String kind,
        String format,
        String stateBackend,
        StoredConfig config,
        List<JobBuffer> jobs,
        List<String> warnings) {

    public SavepointSummary {
        jobs = List.copyOf(jobs);
        warnings = List.copyOf(warnings);
    }

    /** Records waiting in all jobs' open batches, pending or compressed (by the bookkeeping). */
    public long bufferedRecords() {
        return jobs.stream().mapToLong(JobBuffer::metaRecords).sum();
    }

    /** Uncompressed bytes of all jobs' open batches (by the bookkeeping). */
    public long bufferedBytes() {
        return jobs.stream().mapToLong(JobBuffer::metaBytes).sum();
    }

    /** Uncompressed bytes of the records not yet compressed, counted in all jobs' state. */
    public long pendingBytes() {
        return jobs.stream().mapToLong(JobBuffer::pendingBytes).sum();
    }

    /** Compressed chunks counted in all jobs' state. */
    public long chunks() {
        return jobs.stream().mapToLong(JobBuffer::chunks).sum();
    }

    /** Compressed bytes of those chunks. */
    public long chunkBytes() {
        return jobs.stream().mapToLong(JobBuffer::chunkBytes).sum();
    }
}
