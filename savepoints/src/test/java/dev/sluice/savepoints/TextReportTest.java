package dev.sluice.savepoints;

import dev.sluice.schemas.state.BufferMeta;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static dev.sluice.savepoints.ReportFixtures.NOV_14_2024_10_15_UTC_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/** The text and JSON reports of a fixed summary. */
class TextReportTest {

    /**
     * An open batch of 1_203 records: 1_000 (100_000 bytes) compressed into 2 chunks of 9_000
     * bytes, 203 (20_300 bytes) pending.
     */
    private static final JobBuffer WAITING =
            JobBuffer.of(
                    7,
                    203,
                    20_300,
                    2,
                    9_000,
                    BufferMeta.newBuilder()
                            .setNextSeq(4)
                            .setRecords(1_203)
                            .setBytes(120_300)
                            .setCompressedInputBytes(100_000)
                            .setChunkCount(2)
                            .setStoredBytes(9_000)
                            .setFirstMicros(NOV_14_2024_10_15_UTC_MICROS + 250)
                            .setRecordsIn(2_503)
                            .setRecordsEmitted(1_300)
                            .setRecordsFiltered(31)
                            .setRecordsSampledOut(17)
                            .build());

    private static final JobBuffer EMPTY =
            JobBuffer.of(
                    12,
                    0,
                    0,
                    0,
                    0,
                    BufferMeta.newBuilder()
                            .setNextSeq(9)
                            .setRecordsIn(500)
                            .setRecordsEmitted(500)
                            .setRecordsFiltered(5)
                            .build());

    @Test
    void alignsOneRowPerJob() {
        String text = print(summary(StoredConfig.none(), List.of(WAITING, EMPTY)));

        assertThat(text).contains("Config     " + StoredConfig.NONE_STORED + "\n");
        assertThat(text)
                .contains("Buffered   1203 records, 120300 bytes uncompressed, in 2 jobs\n")
                .contains(
                        "Held       29300 bytes: 20300 of pending records, 9000 in 2 compressed"
                                + " chunks\n");
        assertThat(text.lines().filter(l -> l.startsWith("JOB") || l.matches("^ *\\d+ .*")))
                .containsExactly(
                        "JOB  BUFFERED RECORDS  BUFFERED BYTES  CHUNKS  CHUNK BYTES  NEXT SEQ"
                                + "  OLDEST PENDING               RECORDS IN  RECORDS EMITTED"
                                + "  FILTERED  SAMPLED OUT",
                        "  7              1203          120300       2         9000         4"
                                + "  2024-11-14T10:15:00.000250Z        2503             1300"
                                + "        31           17",
                        " 12                 0               0       0            0         9"
                                + "  -                                   500              500"
                                + "         5            0");
    }

    @Test
    void warnsAboutInconsistentBookkeeping() {
        JobBuffer skewed =
                JobBuffer.of(
                        3,
                        2,
                        10,
                        0,
                        0,
                        BufferMeta.newBuilder()
                                .setRecords(5)
                                .setBytes(10)
                                .setFirstMicros(NOV_14_2024_10_15_UTC_MICROS)
                                .setRecordsIn(5)
                                .build());
        String warning = SavepointInspector.inconsistency(skewed);
        SavepointSummary summary =
                ReportFixtures.summary(
                        new StoredConfig(true, 2, 5, null), List.of(skewed), List.of(warning));

        String text = print(summary);

        assertThat(skewed.consistent()).isFalse();
        assertThat(warning)
                .isEqualTo(
                        "job 3: bookkeeping says 5 records of 10 bytes (10 pending), 0 chunks of"
                                + " 0 bytes; the state holds 2 pending records of 10 bytes, 0"
                                + " chunks of 0 bytes");
        assertThat(text).contains("Config     version 2 with 5 jobs (broadcast state)");
        assertThat(text).endsWith("\nwarning: " + warning + "\n");
    }

    @Test
    void jsonSpellsOutTheContract() {
        String json = JsonReport.toJson(summary(StoredConfig.none(), List.of(WAITING))).toString();

        assertThat(json)
                .contains("\"config\":{\"stored\":false,\"note\":\"" + StoredConfig.NONE_STORED);
        assertThat(json)
                .contains(
                        "{\"job_id\":7,\"buffered_records\":1203,\"buffered_bytes\":120300,"
                                + "\"pending_records\":203,\"pending_bytes\":20300,"
                                + "\"chunks\":2,\"chunk_bytes\":9000,\"next_seq\":4,"
                                + "\"oldest_pending\":\"2024-11-14T10:15:00.000250Z\","
                                + "\"records_in\":2503,\"records_emitted\":1300,"
                                + "\"records_filtered\":31,\"records_sampled_out\":17}");
        assertThat(json)
                .contains(
                        "\"totals\":{\"jobs\":1,\"buffered_records\":1203,"
                                + "\"buffered_bytes\":120300,\"pending_bytes\":20300,"
                                + "\"chunks\":2,\"chunk_bytes\":9000}");
    }

    private static SavepointSummary summary(StoredConfig config, List<JobBuffer> jobs) {
        return ReportFixtures.summary(config, jobs, List.of());
    }

    private static String print(SavepointSummary summary) {
        StringWriter out = new StringWriter();
        TextReport.print(summary, new PrintWriter(out));
        return out.toString();
    }
}
