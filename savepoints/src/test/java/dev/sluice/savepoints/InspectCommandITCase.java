package dev.sluice.savepoints;

import dev.sluice.route.RouteFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inspects savepoints of the real job, with batch limits far from reached so every routed record is
 * still buffered. Two savepoints: a canonical one while only the start config (version 1) is known,
 * and a native one at a stop without drain after config version 2 added a job for a customer whose
 * logs were dropped before.
 */
class InspectCommandITCase extends SluiceJobTestBase {

    private static final int CUSTOMERS = 5;

    /** Customers 1–4 have jobs 1–4 from the start; customer 5 only gets job 5 in version 2. */
    private static final int CONFIGURED_AT_START = 4;

    private static final String LATE_CUSTOMER = customer(5);
    private static final int RECORDS_PER_CUSTOMER = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Canonical savepoint: jobs 1–4 buffered, no config update accepted. */
    private static String startConfigSavepoint;

    /** Native savepoint at the stop: jobs 1–5 buffered, config version 2 in broadcast state. */
    private static String updatedConfigSavepoint;

    /** Records of customer 5 routed to job 5 after version 2 was accepted. */
    private static long lateJobRecords;

    @BeforeAll
    static void runJobAndTakeSavepoints(@InjectMiniCluster MiniCluster cluster) throws Exception {
        JobClient job = startJob(cluster, config(1, CONFIGURED_AT_START), null);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            takeSavepoints(job, producer);
        } catch (Exception | AssertionError e) {
            job.cancel();
            throw e;
        }
    }

    @Test
    void reportsEveryJobsBufferAsJson() throws Exception {
        CommandRun run = CommandRun.of("inspect", startConfigSavepoint, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("kind").asText()).isEqualTo("savepoint");
        assertThat(report.get("format").asText()).isEqualTo("canonical");
        assertThat(report.get("state_backend").asText()).isEqualTo("hashmap");
        // Every checkpoint holds the config in force, the start config included.
        assertThat(report.get("config").get("stored").asBoolean()).isTrue();
        assertThat(report.get("config").get("version").asLong()).isEqualTo(1);
        assertThat(report.get("config").get("jobs").asInt()).isEqualTo(CONFIGURED_AT_START);
        assertThat(report.get("warnings")).isEmpty();
        assertThat(jobIds(report)).containsExactly(1L, 2L, 3L, 4L);
        for (JsonNode job : report.get("jobs")) {
            assertThat(job.get("buffered_records").asLong()).isEqualTo(RECORDS_PER_CUSTOMER);
            assertThat(job.get("buffered_bytes").asLong()).isPositive();
            // Far below the chunk size: every record is still pending, none compressed.
            assertThat(job.get("pending_records").asLong()).isEqualTo(RECORDS_PER_CUSTOMER);
            assertThat(job.get("pending_bytes").asLong())
                    .isEqualTo(job.get("buffered_bytes").asLong());
            assertThat(job.get("chunks").asLong()).isZero();
            assertThat(job.get("chunk_bytes").asLong()).isZero();
            assertThat(job.get("next_seq").asLong()).isZero();
            assertThat(job.get("oldest_pending").asText()).isEqualTo(FIRST_EVENT_TIME);
            assertThat(job.get("records_in").asLong()).isEqualTo(RECORDS_PER_CUSTOMER);
            assertThat(job.get("records_emitted").asLong()).isZero();
            assertThat(job.get("records_filtered").asLong()).isZero();
            assertThat(job.get("records_sampled_out").asLong()).isZero();
        }
        assertThat(report.get("totals").get("buffered_records").asLong())
                .isEqualTo(CONFIGURED_AT_START * RECORDS_PER_CUSTOMER);
    }

    @Test
    void reportsTheAcceptedConfigUpdateAndTheJobItAdded() throws Exception {
        CommandRun run = CommandRun.of("inspect", updatedConfigSavepoint);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Snapshot   savepoint (native), checkpoint id ")
                .contains("keyed state read with rocksdb")
                .contains("Config     version 2 with 5 jobs (broadcast state)")
                .doesNotContain("warning");
        Map<Long, String[]> rows = tableRows(run.out());
        assertThat(rows).containsOnlyKeys(1L, 2L, 3L, 4L, 5L);
        String perCustomer = Long.toString(RECORDS_PER_CUSTOMER);
        for (long job = 1; job <= CONFIGURED_AT_START; job++) {
            // JOB, BUFFERED RECORDS, BUFFERED BYTES, CHUNKS, CHUNK BYTES, NEXT SEQ,
            // OLDEST PENDING, RECORDS IN, RECORDS EMITTED, FILTERED, SAMPLED OUT
            String[] row = rows.get(job);
            assertThat(row[1]).as("job %d buffered", job).isEqualTo(perCustomer);
            assertThat(row[3]).as("job %d chunks", job).isEqualTo("0");
            assertThat(row[5]).as("job %d next seq", job).isEqualTo("0");
            assertThat(row[6]).as("job %d oldest", job).isEqualTo(FIRST_EVENT_TIME);
            assertThat(row[7]).as("job %d records in", job).isEqualTo(perCustomer);
            assertThat(row[8]).as("job %d records emitted", job).isEqualTo("0");
            assertThat(row[9]).as("job %d records filtered", job).isEqualTo("0");
            assertThat(row[10]).as("job %d records sampled out", job).isEqualTo("0");
        }
        assertThat(lateJobRecords).isPositive();
        assertThat(rows.get(5L)[1]).isEqualTo(Long.toString(lateJobRecords));
        assertThat(rows.get(5L)[7]).as("records in").isEqualTo(Long.toString(lateJobRecords));
    }

    @Test
    void refusesASavepointOfAnotherJob() throws Exception {
        CommandRun run = CommandRun.of("inspect", savepointOfAnotherJob());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("has no operator with uid \"buffer\"")
                .contains("so it is not a savepoint of the Sluice job")
                .contains("operator(s)");
    }

    /**
     * Phase 1: every customer's records, a canonical savepoint once all are routed or dropped.
     * Phase 2: config version 2, records of customer 5 until job 5 routes them, then the stop.
     */
    private static void takeSavepoints(JobClient job, KafkaProducer<byte[], byte[]> producer)
            throws Exception {
        String savepoints = dir.resolve("savepoints").toUri().toString();
        for (int c = 1; c <= CUSTOMERS; c++) {
            produceLogs(producer, customer(c), 0, RECORDS_PER_CUSTOMER);
        }
        awaitCounts(
                job,
                RouteFunction.ROUTED_BY_JOB,
                routed -> sum(routed) == CONFIGURED_AT_START * RECORDS_PER_CUSTOMER);
        awaitCounts(
                job,
                RouteFunction.UNCONFIGURED_BY_CUSTOMER,
                dropped -> sum(dropped) == RECORDS_PER_CUSTOMER);
        startConfigSavepoint =
                job.triggerSavepoint(savepoints, SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);

        produceConfig(producer, config(2, CUSTOMERS));
        lateJobRecords = produceUntilRouted(job, producer);
        updatedConfigSavepoint =
                job.stopWithSavepoint(false, savepoints, SavepointFormatType.NATIVE)
                        .get(60, TimeUnit.SECONDS);
    }

    /**
     * Sends customer 5's records one at a time until job 5 routes one, which proves version 2
     * reached the route operator and therefore precedes any later savepoint barrier on the
     * broadcast input of the buffer too. Returns how many records job 5 got.
     */
    private static long produceUntilRouted(JobClient job, KafkaProducer<byte[], byte[]> producer)
            throws Exception {
        int sent = RECORDS_PER_CUSTOMER;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counts(job, RouteFunction.ROUTED_BY_JOB).getOrDefault("5", 0L) == 0) {
            assertThat(System.nanoTime()).as("job 5 routed a record in time").isLessThan(deadline);
            produceLogs(producer, LATE_CUSTOMER, sent++, 1);
            Thread.sleep(100);
        }
        int total = sent;
        // Every record of customer 5 is either routed to job 5 or dropped as unconfigured.
        awaitCounts(
                job,
                RouteFunction.UNCONFIGURED_BY_CUSTOMER,
                dropped -> dropped.getOrDefault(LATE_CUSTOMER, 0L) + routedToLateJob(job) == total);
        return routedToLateJob(job);
    }

    private static long routedToLateJob(JobClient job) {
        try {
            return counts(job, RouteFunction.ROUTED_BY_JOB).getOrDefault("5", 0L);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> jobIds(JsonNode report) {
        List<Long> ids = new ArrayList<>();
        report.get("jobs").forEach(job -> ids.add(job.get("job_id").asLong()));
        return ids;
    }
}
