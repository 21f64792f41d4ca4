package dev.sluice.savepoints;

import java.util.List;

/** Fixed inputs of the report tests: an instant and the savepoint the summaries describe. */
final class ReportFixtures {

    /** 2024-11-14T10:15:00Z: the fixture batches' first event is this or just after it. */
    static final long NOV_14_2024_10_15_UTC_MICROS = 1_731_579_300_000_000L;

    private ReportFixtures() {}

    /** A canonical savepoint at {@code file:/sp}, checkpoint 1, read with the hashmap backend. */
    static SavepointSummary summary(
            StoredConfig config, List<JobBuffer> jobs, List<String> warnings) {
        return new SavepointSummary(
                "file:/sp", 1, "savepoint", "canonical", "hashmap", config, jobs, warnings);
    }
}
