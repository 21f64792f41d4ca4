package dev.sluice.tools;

import java.io.PrintWriter;
import java.util.Locale;

/** A redrive's counts, for its summary line. */
final class RedriveTotals {
    long batches;
    long copied;
    long completed;
    long records;
    long withoutCount;
    long bytes;
    long failed;
    long gone;

    void add(RedriveOutcome outcome, Long batchRecords, long length) {
        if (outcome == RedriveOutcome.FAILED) {
            failed++;
        } else if (outcome == RedriveOutcome.GONE) {
            gone++;
        }
        if (!outcome.counts()) {
            return;
        }
        batches++;
        if (outcome == RedriveOutcome.MOVED || outcome == RedriveOutcome.WOULD_MOVE) {
            copied++;
        } else {
            completed++;
        }
        if (batchRecords == null) {
            withoutCount++;
        } else {
            records += batchRecords;
        }
        bytes += length;
    }

    /** Records from the batches' metadata; local files carry none. */
    private String recordCount() {
        if (withoutCount == 0) {
            return Long.toString(records);
        }
        if (withoutCount == batches) {
            return "?";
        }
        return records + " (+ " + withoutCount + " batches without a count)";
    }

    void print(
            PrintWriter out,
            boolean dryRun,
            ParkedBatches.Selection selection,
            String parkLocation) {
        out.printf(
                Locale.ROOT,
                "%s %d %s (%d %s, %d already at the target), %s records,"
                        + " %d bytes; %d failed%s%n",
                dryRun ? "dry run: would redrive" : "redriven",
                batches,
                batches == 1 ? "batch" : "batches",
                copied,
                dryRun ? "to copy" : "copied",
                completed,
                recordCount(),
                bytes,
                failed,
                gone == 0 ? "" : ", " + gone + " gone meanwhile");
        if (selection.ignored() > 0) {
            out.printf(
                    Locale.ROOT,
                    "ignored %d other objects under %s (not Sluice batches, or not for --to)%n",
                    selection.ignored(),
                    parkLocation);
        }
        if (dryRun) {
            out.println("dry run: nothing changed");
        }
        out.flush();
    }
}
