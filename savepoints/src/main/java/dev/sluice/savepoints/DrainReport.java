package dev.sluice.savepoints;

import java.io.PrintWriter;
import java.util.List;

/**
 * The verdict of {@code drain-check} on a {@link SavepointSummary}: one line when every job's
 * buffer is empty, otherwise the jobs that still hold records.
 */
final class DrainReport {

    private static final String[] HEADERS = {"JOB", "RECORDS", "BYTES", "OLDEST PENDING"};

    /** Numbers right-aligned, the timestamp left-aligned. */
    private static final boolean[] RIGHT = {true, true, true, false};

    private DrainReport() {}

    /** Whether no job holds a record or a chunk, by its state or by its bookkeeping. */
    static boolean drained(SavepointSummary summary) {
        return summary.jobs().stream().allMatch(JobBuffer::empty);
    }

    /** Prints the verdict; returns {@link #drained}. */
    static boolean print(SavepointSummary summary, PrintWriter out) {
        boolean drained = drained(summary);
        if (drained) {
            out.printf("nothing buffered: %d jobs, all empty%n", summary.jobs().size());
        } else {
            List<JobBuffer> holding = holding(summary);
            out.printf(
                    "still buffered: %d records, %d bytes uncompressed, in %d of %d jobs%n%n",
                    summary.bufferedRecords(),
                    summary.bufferedBytes(),
                    holding.size(),
                    summary.jobs().size());
            TextReport.printJobs(HEADERS, RIGHT, holding, DrainReport::columns, out);
        }
        // Records and bytes are the bookkeeping's; a job listed with 0 holds lines or chunks it
        // does not count, which the warning shows.
        for (String warning : summary.warnings()) {
            out.printf("warning: %s%n", warning);
        }
        out.flush();
        return drained;
    }

    private static List<JobBuffer> holding(SavepointSummary summary) {
        return summary.jobs().stream().filter(job -> !job.empty()).toList();
    }

    private static String[] columns(JobBuffer job) {
        return new String[] {
            Long.toString(job.jobId()),
            Long.toString(job.metaRecords()),
            Long.toString(job.metaBytes()),
            TextReport.oldestPending(job)
        };
    }
}
