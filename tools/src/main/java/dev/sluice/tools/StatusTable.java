package dev.sluice.tools;

import dev.sluice.status.JobStatus;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** {@code jobs status} for people: one line per job, times in UTC to the second. */
final class StatusTable {

    private static final String FORMAT = "%-8s %-12s %-9s %-20s %-20s %10s %7s  %s%n";

    private StatusTable() {}

    static void print(PrintWriter out, List<JobStatusRow> rows) {
        out.printf(
                FORMAT,
                "JOB",
                "CUSTOMER",
                "STATE",
                "LAST_COMPLETE",
                "LAST_ERROR",
                "DELIVERED",
                "PARKED",
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
                    s.errorMessage().isEmpty() ? "-" : s.errorMessage());
        }
        if (rows.isEmpty()) {
            out.println("(no delivery job matches)");
        }
    }

    private static String time(long millis) {
        return millis == 0
                ? "never"
                : Instant.ofEpochMilli(millis).toString().replaceAll("\\.\\d+Z$", "Z");
    }
}
