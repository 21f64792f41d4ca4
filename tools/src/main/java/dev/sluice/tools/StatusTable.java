package dev.sluice.tools;

import dev.sluice.status.JobStatus;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code jobs status} for people: one line per job, times in UTC to the second. */
final class StatusTable {

    private static final String FORMAT = "%-8s %-12s %-9s %-20s %-20s %10s %7s %9s  %s%n";

    private StatusTable() {}

    /**
     * @param now the time the ages of what is buffered are taken at (epoch millis)
     */
    static void print(PrintWriter out, List<JobStatusRow> rows, long now) {
        out.printf(
                FORMAT,
                "JOB",
                "CUSTOMER",
                "STATE",
                "LAST_COMPLETE",
                "LAST_ERROR",
                "DELIVERED",
                "PARKED",
                "BUFFERED",
                "ERROR_MESSAGE");
        for (JobStatusRow r : rows) {
            JobStatus s = r.status() == null ? JobStatus.initial(r.id()) : r.status();
            out.printf(
                    FORMAT,
                    r.id(),
                    r.customerId() == null ? "-" : r.customerId(),
                    r.state(),
                    time(s.lastComplete()),
                    time(s.lastError()),
                    s.recordsDelivered(),
                    s.parkedBatches(),
                    age(s.oldestBuffered(), now),
                    s.errorMessage().isEmpty() ? "-" : s.errorMessage());
        }
        if (rows.isEmpty()) {
            out.println("(no delivery job matches)");
        }
    }

    /** How long the oldest buffered record has waited, e.g. 42s, 3m05s, 2h10m; - for none. */
    static String age(long since, long now) {
        if (since == 0) {
            return "-";
        }
        long seconds = Math.max(0, now - since) / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    private static String time(long millis) {
        return millis == 0
                ? "never"
                : Instant.ofEpochMilli(millis).toString().replaceAll("\\.\\d+Z$", "Z");
    }
}
