package dev.sluice.savepoints;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The text and JSON reports of a fixed summary. */
class TextReportTest {

    private static final long NOV_14_2024_10_15_UTC_MICROS = 1_731_579_300_000_000L;

    private static final JobBuffer WAITING =
            new JobBuffer(7, 3, 120, 3, 120, 4, NOV_14_2024_10_15_UTC_MICROS + 250, 1_003, 1_000);
    private static final JobBuffer EMPTY = new JobBuffer(12, 0, 0, 0, 0, 9, 0, 500, 500);

    @Test
    void alignsOneRowPerJob() {
        String text = print(summary(StoredConfig.none(), List.of(WAITING, EMPTY)));

        assertThat(text).contains("Config     " + StoredConfig.NONE_STORED + "\n");
        assertThat(text).contains("Buffered   3 records, 120 bytes uncompressed, in 2 jobs\n");
        assertThat(text.lines().filter(l -> l.startsWith("JOB") || l.matches("^ *\\d+ .*")))
                .containsExactly(
                        "JOB  BUFFERED RECORDS  BUFFERED BYTES  NEXT SEQ  OLDEST PENDING"
                                + "               RECORDS IN  RECORDS EMITTED",
                        "  7                 3             120         4  "
                                + "2024-11-14T10:15:00.000250Z        1003             1000",
                        " 12                 0               0         9  -"
                                + "                                   500              500");
    }

    @Test
    void warnsAboutInconsistentBookkeeping() {
        JobBuffer skewed = new JobBuffer(3, 2, 10, 5, 10, 0, NOV_14_2024_10_15_UTC_MICROS, 5, 0);
        SavepointSummary summary =
                new SavepointSummary(
                        "file:/sp",
                        1,
                        "savepoint",
                        "canonical",
                        "hashmap",
                        new StoredConfig(true, 2, 5, null),
                        List.of(skewed),
                        List.of(
                                "job 3: bookkeeping says 5 records / 10 bytes,"
                                        + " the list state holds 2 / 10"));

        String text = print(summary);

        assertThat(text).contains("Config     version 2 with 5 jobs (broadcast state)");
        assertThat(text)
                .endsWith(
                        "\nwarning: job 3: bookkeeping says 5 records / 10 bytes,"
                                + " the list state holds 2 / 10\n");
        assertThat(skewed.consistent()).isFalse();
    }

    @Test
    void jsonSpellsOutTheContract() {
        String json = JsonReport.toJson(summary(StoredConfig.none(), List.of(WAITING))).toString();

        assertThat(json)
                .contains("\"config\":{\"stored\":false,\"note\":\"" + StoredConfig.NONE_STORED);
        assertThat(json)
                .contains(
                        "{\"job_id\":7,\"buffered_records\":3,\"buffered_bytes\":120,"
                            + "\"next_seq\":4,\"oldest_pending\":\"2024-11-14T10:15:00.000250Z\","
                            + "\"records_in\":1003,\"records_emitted\":1000}");
    }

    private static SavepointSummary summary(StoredConfig config, List<JobBuffer> jobs) {
        return new SavepointSummary(
                "file:/sp", 1, "savepoint", "canonical", "hashmap", config, jobs, List.of());
    }

    private static String print(SavepointSummary summary) {
        StringWriter out = new StringWriter();
        TextReport.print(summary, new PrintWriter(out));
        return out.toString();
    }
}
