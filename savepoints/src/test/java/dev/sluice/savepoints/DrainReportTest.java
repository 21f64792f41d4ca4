package dev.sluice.savepoints;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The drain-check verdict of fixed summaries. */
class DrainReportTest {

    private static final long NOV_14_2024_10_15_UTC_MICROS = 1_731_579_300_000_000L;

    /** Delivered everything: an empty batch, a ledger in balance. */
    private static final JobBuffer EMPTY = new JobBuffer(12, 0, 0, 0, 0, 9, 0, 500, 500);

    private static final JobBuffer WAITING =
            new JobBuffer(7, 3, 120, 3, 120, 4, NOV_14_2024_10_15_UTC_MICROS + 250, 1_003, 1_000);

    @Test
    void oneLineWhenEveryJobIsEmpty() {
        Verdict verdict = check(List.of(EMPTY, new JobBuffer(3, 0, 0, 0, 0, 1, 0, 20, 20)));

        assertThat(verdict.drained()).isTrue();
        assertThat(verdict.text()).isEqualTo("nothing buffered: 2 jobs, all empty\n");
    }

    @Test
    void aSavepointWithoutBufferStateIsDrained() {
        Verdict verdict = check(List.of());

        assertThat(verdict.drained()).isTrue();
        assertThat(verdict.text()).isEqualTo("nothing buffered: 0 jobs, all empty\n");
    }

    @Test
    void listsOnlyTheJobsThatHoldRecords() {
        Verdict verdict = check(List.of(WAITING, EMPTY));

        assertThat(verdict.drained()).isFalse();
        assertThat(verdict.text())
                .isEqualTo(
                        "still buffered: 3 records, 120 bytes uncompressed, in 1 of 2 jobs\n"
                                + "\n"
                                + "JOB  RECORDS  BYTES  OLDEST PENDING\n"
                                + "  7        3    120  2024-11-14T10:15:00.000250Z\n");
    }

    @Test
    void bookkeepingThatStillCountsRecordsFailsTheCheck() {
        JobBuffer skewed = new JobBuffer(3, 0, 0, 2, 10, 0, NOV_14_2024_10_15_UTC_MICROS, 2, 0);
        String warning = "job 3: bookkeeping says 2 records / 10 bytes, the list state holds 0 / 0";

        Verdict verdict = check(List.of(skewed), List.of(warning));

        assertThat(verdict.drained()).isFalse();
        assertThat(verdict.text())
                .contains("in 1 of 1 jobs")
                .contains("  3        0      0  -\n")
                .endsWith("warning: " + warning + "\n");
    }

    private record Verdict(boolean drained, String text) {}

    private static Verdict check(List<JobBuffer> jobs) {
        return check(jobs, List.of());
    }

    private static Verdict check(List<JobBuffer> jobs, List<String> warnings) {
        SavepointSummary summary =
                new SavepointSummary(
                        "file:/sp",
                        1,
                        "savepoint",
                        "canonical",
                        "hashmap",
                        StoredConfig.none(),
                        jobs,
                        warnings);
        StringWriter out = new StringWriter();
        boolean drained = DrainReport.print(summary, new PrintWriter(out));
        assertThat(DrainReport.drained(summary)).isEqualTo(drained);
        return new Verdict(drained, out.toString());
    }
}
