package dev.sluice.savepoints;

import dev.sluice.jobs.SluiceOptions;
import dev.sluice.route.RouteFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inspects savepoints of the real job whose buffer has compressed part of its open batch: the chunk
 * size at its minimum (64 KiB) and one job given records enough for two chunks and more, its batch
 * limits far from reached. A canonical savepoint (read with the heap backend) and a native one at a
 * stop without drain (read with RocksDB).
 */
class InspectChunksITCase extends SluiceJobTestBase {

    private static final long CHUNK_BYTES = 64 * 1024;

    /** About 150 KB of encoded lines. */
    private static final int RECORDS = 2_500;

    private static final int AFTER_RESTORE = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String canonical;
    private static String nativeAtStop;

    @BeforeAll
    static void runJobAndTakeSavepoints(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String savepoints = dir.resolve("savepoints").toUri().toString();
        JobClient job = startJob(cluster, config(1, 1), null, chunkSettings());
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            produceLogs(producer, customer(1), 0, RECORDS);
            awaitCounts(job, RouteFunction.ROUTED_BY_JOB, routed -> sum(routed) == RECORDS);
            canonical =
                    job.triggerSavepoint(savepoints, SavepointFormatType.CANONICAL)
                            .get(60, TimeUnit.SECONDS);
            nativeAtStop =
                    job.stopWithSavepoint(false, savepoints, SavepointFormatType.NATIVE)
                            .get(60, TimeUnit.SECONDS);
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            job.cancel();
            throw e;
        }
    }

    @Test
    void reportsTheChunksAndThePendingRecordsOfTheOpenBatch() throws Exception {
        JsonNode job = onlyJob(canonical);

        assertThat(job.get("buffered_records").asLong()).isEqualTo(RECORDS);
        long bytes = job.get("buffered_bytes").asLong();
        long pendingBytes = job.get("pending_bytes").asLong();
        long chunks = job.get("chunks").asLong();
        assertThat(bytes).isGreaterThan(2 * CHUNK_BYTES);
        assertThat(chunks).isBetween(2L, bytes / CHUNK_BYTES);
        // Whatever reached the chunk size was compressed, so what is pending stays below it.
        assertThat(pendingBytes).isPositive().isLessThan(CHUNK_BYTES);
        assertThat(job.get("pending_records").asLong()).isPositive().isLessThan(RECORDS);
        assertThat(job.get("chunk_bytes").asLong()).isPositive().isLessThan(bytes - pendingBytes);
        assertThat(job.get("oldest_pending").asText()).isEqualTo(FIRST_EVENT_TIME);
        assertThat(job.get("records_in").asLong()).isEqualTo(RECORDS);
        assertThat(job.get("records_emitted").asLong()).isZero();
    }

    @Test
    void readsTheSameStateFromANativeSavepointWithRocksDb() throws Exception {
        CommandRun run = CommandRun.of("inspect", nativeAtStop);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("keyed state read with rocksdb").doesNotContain("warning");
        JsonNode job = onlyJob(canonical);
        // JOB, BUFFERED RECORDS, BUFFERED BYTES, CHUNKS, CHUNK BYTES, NEXT SEQ, OLDEST PENDING, ...
        String[] row = tableRows(run.out()).get(1L);
        assertThat(row[1]).isEqualTo(Integer.toString(RECORDS));
        assertThat(row[2]).isEqualTo(job.get("buffered_bytes").asText());
        assertThat(row[3]).isEqualTo(job.get("chunks").asText());
        assertThat(row[4]).isEqualTo(job.get("chunk_bytes").asText());
    }

    @Test
    void drainCheckCountsTheCompressedRecordsAsBuffered() throws Exception {
        CommandRun run = CommandRun.of("drain-check", nativeAtStop);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out())
                .startsWith("still buffered: " + RECORDS + " records, ")
                .contains(" in 1 of 1 jobs\n")
                .doesNotContain("warning");
        // JOB, RECORDS, BYTES, OLDEST PENDING
        assertThat(tableRows(run.out()).get(1L)[1]).isEqualTo(Integer.toString(RECORDS));
    }

    /**
     * The job restored from the native savepoint, given more records (which also shows it runs),
     * and stopped with a drain: its chunks are delivered, and none is left in state.
     */
    @Test
    void aDrainLeavesNoChunkAndDeliversEveryRecord(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        JobClient restored = startJob(cluster, config(1, 1), nativeAtStop, chunkSettings());
        String drained;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            produceLogs(producer, customer(1), RECORDS, AFTER_RESTORE);
            awaitCounts(
                    restored, RouteFunction.ROUTED_BY_JOB, routed -> sum(routed) == AFTER_RESTORE);
            drained = stop(restored, true);
        } catch (Exception | AssertionError e) {
            restored.cancel();
            throw e;
        }

        CommandRun run = CommandRun.of("drain-check", drained);

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).isEqualTo("nothing buffered: 1 jobs, all empty\n");
        assertThat(deliveredRecordsByJob()).isEqualTo(Map.of(1L, (long) RECORDS + AFTER_RESTORE));
    }

    private static Configuration chunkSettings() {
        Configuration settings = new Configuration();
        settings.set(SluiceOptions.BUFFER_CHUNK_SIZE, new MemorySize(CHUNK_BYTES));
        return settings;
    }

    /** The report's one job, after checking that the state is consistent. */
    private static JsonNode onlyJob(String savepoint) throws Exception {
        CommandRun run = CommandRun.of("inspect", savepoint, "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("warnings")).isEmpty();
        assertThat(report.get("jobs")).hasSize(1);
        JsonNode job = report.get("jobs").get(0);
        assertThat(job.get("job_id").asLong()).isEqualTo(1);
        return job;
    }
}
