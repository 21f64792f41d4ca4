package dev.sluice.savepoints;

import dev.sluice.schemas.state.BufferMeta;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static dev.sluice.savepoints.ReportFixtures.NOV_14_2024_10_15_UTC_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/** The drain-check verdict of fixed summaries. */
class DrainReportTest {

    /** Delivered everything: an empty batch, a ledger in balance. */
    private static final JobBuffer EMPTY = delivered(12, 9, 500);

    /** 1_003 records waiting: 1_000 in 2 chunks, 3 pending. */
    private static final JobBuffer WAITING =
            JobBuffer.of(
                    7,
                    3,
                    120,
                    2,
                    9_000,
                    BufferMeta.newBuilder()
                            .setNextSeq(4)
                            .setRecords(1_003)
                            .setBytes(100_120)
                            .setCompressedInputBytes(100_000)
                            .setChunkCount(2)
                            .setStoredBytes(9_000)
                            .setFirstMicros(NOV_14_2024_10_15_UTC_MICROS + 250)
                            .setRecordsIn(2_003)
                            .setRecordsEmitted(1_000)
                            .build());

    @Test
    void oneLineWhenEveryJobIsEmpty() {
        Verdict verdict = check(List.of(EMPTY, delivered(3, 1, 20)));

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
                        "still buffered: 1003 records, 100120 bytes uncompressed, in 1 of 2 jobs\n"
                                + "\n"
                                + "JOB  RECORDS   BYTES  OLDEST PENDING\n"
                                + "  7     1003  100120  2024-11-14T10:15:00.000250Z\n");
    }

    @Test
    void bookkeepingThatStillCountsRecordsFailsTheCheck() {
        JobBuffer skewed =
                JobBuffer.of(
                        3,
                        0,
                        0,
                        0,
                        0,
                        BufferMeta.newBuilder()
                                .setRecords(2)
                                .setBytes(10)
                                .setFirstMicros(NOV_14_2024_10_15_UTC_MICROS)
                                .setRecordsIn(2)
                                .build());
        assertThat(checkInconsistent(skewed))
                .contains("in 1 of 1 jobs")
                .contains("  3        2     10  2024-11-14T10:15:00Z\n");
    }

    @Test
    void chunksTheBookkeepingLostFailTheCheck() {
        JobBuffer lost =
                JobBuffer.of(3, 0, 0, 1, 500, BufferMeta.newBuilder().setNextSeq(2).build());
        assertThat(checkInconsistent(lost))
                .startsWith("still buffered: 0 records, 0 bytes uncompressed, in 1 of 1 jobs\n")
                .contains("  3        0      0  -\n");
        assertThat(SavepointInspector.inconsistency(lost))
                .endsWith("the state holds 0 pending records of 0 bytes, 1 chunks of 500 bytes");
    }

    /** A job that delivered all its {@code records} in batches before {@code nextSeq}. */
    private static JobBuffer delivered(long jobId, long nextSeq, long records) {
        return JobBuffer.of(
                jobId,
                0,
                0,
                0,
                0,
                BufferMeta.newBuilder()
                        .setNextSeq(nextSeq)
                        .setRecordsIn(records)
                        .setRecordsEmitted(records)
                        .build());
    }

    private record Verdict(boolean drained, String text) {}

    private static Verdict check(List<JobBuffer> jobs) {
        return check(jobs, List.of());
    }

    /**
     * The report on one job whose state and bookkeeping disagree, after checking that it fails the
     * check and ends with the inspector's warning about the job.
     */
    private static String checkInconsistent(JobBuffer job) {
        String warning = SavepointInspector.inconsistency(job);
        Verdict verdict = check(List.of(job), List.of(warning));
        assertThat(verdict.drained()).isFalse();
        assertThat(verdict.text()).endsWith("warning: " + warning + "\n");
        return verdict.text();
    }

    private static Verdict check(List<JobBuffer> jobs, List<String> warnings) {
        SavepointSummary summary = ReportFixtures.summary(StoredConfig.none(), jobs, warnings);
        StringWriter out = new StringWriter();
        boolean drained = DrainReport.print(summary, new PrintWriter(out));
        assertThat(DrainReport.drained(summary)).isEqualTo(drained);
        return new Verdict(drained, out.toString());
    }
}
