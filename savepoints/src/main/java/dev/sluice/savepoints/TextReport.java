package dev.sluice.savepoints;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Formats a {@link SavepointSummary} for people: a header, an aligned table, then warnings. */
final class TextReport {

    private static final String[] HEADERS = {
        "JOB",
        "BUFFERED RECORDS",
        "BUFFERED BYTES",
        "CHUNKS",
        "CHUNK BYTES",
        "NEXT SEQ",
        "OLDEST PENDING",
        "RECORDS IN",
        "RECORDS EMITTED",
        "FILTERED",
        "SAMPLED OUT"
    };

    /** Numbers right-aligned, the timestamp left-aligned. */
    private static final boolean[] RIGHT = {
        true, true, true, true, true, true, false, true, true, true, true
    };

    private static final String GAP = "  ";

    private TextReport() {}

    static void print(SavepointSummary summary, PrintWriter out) {
        out.printf("Savepoint  %s%n", summary.location());
        out.printf(
                "Snapshot   %s, checkpoint id %d; keyed state read with %s%n",
                snapshot(summary), summary.checkpointId(), summary.stateBackend());
        out.printf("Config     %s%n", config(summary.config()));
        out.printf(
                "Buffered   %d records, %d bytes uncompressed, in %d jobs%n",
                summary.bufferedRecords(), summary.bufferedBytes(), summary.jobs().size());
        out.printf(
                "Held       %d bytes: %d of pending records, %d in %d compressed chunks%n%n",
                summary.pendingBytes() + summary.chunkBytes(),
                summary.pendingBytes(),
                summary.chunkBytes(),
                summary.chunks());
        if (summary.jobs().isEmpty()) {
            out.println("No job has buffer state: nothing was routed before this snapshot.");
        } else {
            printJobs(HEADERS, RIGHT, summary.jobs(), TextReport::columns, out);
        }
        for (String warning : summary.warnings()) {
            out.printf("%nwarning: %s", warning);
        }
        if (!summary.warnings().isEmpty()) {
            out.println();
        }
        out.flush();
    }

    private static String snapshot(SavepointSummary summary) {
        return summary.format() == null
                ? summary.kind()
                : summary.kind() + " (" + summary.format() + ")";
    }

    private static String config(StoredConfig config) {
        if (!config.stored()) {
            return StoredConfig.NONE_STORED;
        }
        if (config.problem() != null) {
            return "stored, but it does not parse: " + config.problem();
        }
        return "version " + config.version() + " with " + config.jobs() + " jobs (broadcast state)";
    }

    private static String[] columns(JobBuffer job) {
        return new String[] {
            Long.toString(job.jobId()),
            Long.toString(job.metaRecords()),
            Long.toString(job.metaBytes()),
            Long.toString(job.chunks()),
            Long.toString(job.chunkBytes()),
            Long.toString(job.nextSeq()),
            oldestPending(job),
            Long.toString(job.recordsIn()),
            Long.toString(job.recordsEmitted()),
            Long.toString(job.recordsFiltered()),
            Long.toString(job.recordsSampledOut())
        };
    }

    /** The oldest pending record's time, or {@code -} when the job holds none. */
    static String oldestPending(JobBuffer job) {
        return job.oldestPending().map(Object::toString).orElse("-");
    }

    /** Prints a table of {@code jobs}, one row each, under {@code headers}. */
    static void printJobs(
            String[] headers,
            boolean[] right,
            List<JobBuffer> jobs,
            Function<JobBuffer, String[]> columns,
            PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(headers);
        jobs.forEach(job -> rows.add(columns.apply(job)));
        printTable(rows, right, out);
    }

    /**
     * Prints {@code rows} (the first one the headers) in aligned columns, right-aligned where
     * {@code right} says so.
     */
    private static void printTable(List<String[]> rows, boolean[] right, PrintWriter out) {
        int[] widths = new int[right.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(c == 0 ? "" : GAP).append(pad(row[c], widths[c], right[c]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String pad(String text, int width, boolean right) {
        String fill = " ".repeat(width - text.length());
        return right ? fill + text : text + fill;
    }
}
