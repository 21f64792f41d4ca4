package dev.sluice.tests;

import java.util.List;

/**
 * The committed savepoint of an older Sluice build and how it was made: a job whose buffers hold
 * records when the savepoint was taken. Every later build must restore it.
 *
 * <p>To add the fixture of a new state version, run {@code ./mvnw -B -pl tests -am verify
 * -Dit.test=SavepointFixtureWriterITCase -Dsluice.fixture.write=v3 -DfailIfNoTests=false} and
 * commit {@code tests/src/test/resources/savepoints/sluice-v3} beside the older ones.
 */
final class SavepointFixture {

    /**
     * Fixtures every build restores: one per state version that was ever released. v1: the buffer
     * before chunks, no config in broadcast state; v2: chunks, and the merged config stored
     * compressed ({@code ConfigStateCodec}); v3: the stored config written by {@code
     * StoredConfigSerializer} (Flink's string serializer before), the jobs' status, the writer
     * schemas; v4: pending records in zstd blocks ({@code pending-blocks}; raw in {@code lines}
     * before).
     */
    static final List<String> VERSIONS = List.of("v1", "v2", "v3", "v4");

    static final String NAME = "fixture";
    static final String BUCKET = "fixture";
    static final int RECORDS_PER_CUSTOMER = 20;

    /** Customers 1–3 have records buffered in the fixture (customer 1 in two jobs, 1 and 101). */
    static final int CUSTOMERS_WITH_RECORDS = 3;

    /** Batch limits nothing reaches, so every record is still buffered at the savepoint. */
    static final int INTERVAL_SECONDS = 300;

    private SavepointFixture() {}

    static String resourceDir(String version) {
        return "savepoints/sluice-" + version;
    }
}
