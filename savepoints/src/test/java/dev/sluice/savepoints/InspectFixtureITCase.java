package dev.sluice.savepoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inspects copies of the {@code tests} module's savepoint fixtures (canonical; jobs 1, 2, 3 and 101
 * with 20 records each, every one pending), kept here so that this module alone proves it reads
 * them: {@code sluice-v1}, the buffer before chunks, whose bookkeeping has none of the newer
 * fields; {@code sluice-v2}, whose config is stored compressed; {@code sluice-v3}, whose stored
 * config is written by {@code StoredConfigSerializer}, not Flink's string serializer; {@code
 * sluice-v4}, whose pending records are zstd blocks, not raw lines.
 */
class InspectFixtureITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** v1: the buffer before chunks; v4: pending records in blocks. Each holds 20 a job. */
    @ParameterizedTest
    @ValueSource(strings = {"v1", "v4"})
    void readsEveryJobsPendingRecords(String version) throws Exception {
        CommandRun run = CommandRun.of("inspect", fixture(version), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("format").asText()).isEqualTo("canonical");
        assertThat(report.get("warnings")).isEmpty();
        assertThat(jobIds(report)).containsExactly(1L, 2L, 3L, 101L);
        for (JsonNode job : report.get("jobs")) {
            assertThat(job.get("buffered_records").asLong()).isEqualTo(20);
            assertThat(job.get("pending_records").asLong()).isEqualTo(20);
            assertThat(job.get("pending_bytes").asLong())
                    .isEqualTo(job.get("buffered_bytes").asLong())
                    .isPositive();
            assertThat(job.get("chunks").asLong()).isZero();
            assertThat(job.get("chunk_bytes").asLong()).isZero();
            assertThat(job.get("oldest_pending").asText()).isEqualTo("2024-11-14T10:15:00Z");
            assertThat(job.get("records_in").asLong()).isEqualTo(20);
            assertThat(job.get("records_emitted").asLong()).isZero();
            assertThat(job.get("records_filtered").asLong()).isZero();
            assertThat(job.get("records_sampled_out").asLong()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v3", "v4"})
    void readsTheConfigStoredCompressed(String version) throws Exception {
        CommandRun run = CommandRun.of("inspect", fixture(version), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("warnings")).isEmpty();
        JsonNode config = report.get("config");
        assertThat(config.get("stored").asBoolean()).as(config.toString()).isTrue();
        assertThat(config.get("problem")).as(config.toString()).isNull();
        assertThat(config.get("version").asLong()).isEqualTo(1);
        // TenantFixture's config: customers 1 to 8, and customer 1's second job.
        assertThat(config.get("jobs").asInt()).isEqualTo(9);
        assertThat(jobIds(report)).containsExactly(1L, 2L, 3L, 101L);
    }

    @Test
    void drainCheckListsEveryJobOfIt() throws Exception {
        CommandRun run = CommandRun.of("drain-check", fixture("v1"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out())
                .startsWith("still buffered: 80 records, ")
                .contains(" in 4 of 4 jobs")
                .doesNotContain("warning");
    }

    private static String fixture(String version) throws Exception {
        return Path.of(
                        InspectFixtureITCase.class
                                .getResource("/savepoints/sluice-" + version)
                                .toURI())
                .toString();
    }

    private static List<Long> jobIds(JsonNode report) {
        List<Long> ids = new ArrayList<>();
        report.get("jobs").forEach(job -> ids.add(job.get("job_id").asLong()));
        return ids;
    }
}
