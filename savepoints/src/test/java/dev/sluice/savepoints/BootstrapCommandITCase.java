package dev.sluice.savepoints;

import dev.sluice.jobs.SluicePipeline;
import dev.sluice.route.RouteFunction;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bootstraps a savepoint from config version 5 and starts the real job from it, at parallelism 2,
 * with an older start config (version 1) that maps the customers differently. The router must
 * route, and the buffer deliver, by version 5: each holds the bootstrapped config in its own
 * broadcast state, written by one subtask and copied to every subtask at the restore.
 */
class BootstrapCommandITCase extends SluiceJobTestBase {

    private static final int RECORDS_PER_CUSTOMER = 100;

    private static final int CUSTOMERS = 4;

    /** Bootstrapped, version 5: jobs 1–4 for customers 1–4. */
    private static final Map<Long, String> BOOTSTRAPPED =
            Map.of(1L, customer(1), 2L, customer(2), 3L, customer(3), 4L, customer(4));

    /** Start config, version 1: job 1 for customer 1, job 9 for customer 2; 3 and 4 have none. */
    private static final Map<Long, String> AT_START = Map.of(1L, customer(1), 9L, customer(2));

    /** Routed and delivered by version 5: every record, to job i for customer i. */
    private static final Map<Long, Long> BY_VERSION_5 =
            Map.of(
                    1L, (long) RECORDS_PER_CUSTOMER,
                    2L, (long) RECORDS_PER_CUSTOMER,
                    3L, (long) RECORDS_PER_CUSTOMER,
                    4L, (long) RECORDS_PER_CUSTOMER);

    private static CommandRun bootstrap;
    private static String savepoint;
    private static Map<String, Long> routed;
    private static Map<String, Long> unconfigured;

    /** The job's savepoint at a stop with drain, after the records above. */
    private static String drained;

    @BeforeAll
    static void bootstrapAndStartFromIt(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Path configFile = Files.writeString(dir.resolve("config-v5.json"), config(5, BOOTSTRAPPED));
        savepoint = dir.resolve("bootstrap-v5").toString();
        bootstrap =
                CommandRun.of("bootstrap", "--config", configFile.toString(), "--out", savepoint);
        assertThat(bootstrap.exitCode()).as(bootstrap.err()).isZero();

        JobClient job = startJob(cluster, config(1, AT_START), savepoint);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int c = 1; c <= CUSTOMERS; c++) {
                produceLogs(producer, customer(c), 0, RECORDS_PER_CUSTOMER);
            }
            // Each record is either routed or dropped as unconfigured: wait until all are counted.
            awaitCounts(
                    job,
                    RouteFunction.ROUTED_BY_JOB,
                    r ->
                            sum(r) + unconfiguredRecords(job) == CUSTOMERS * RECORDS_PER_CUSTOMER
                                    && sum(r) > 0);
            routed = counts(job, RouteFunction.ROUTED_BY_JOB);
            unconfigured = counts(job, RouteFunction.UNCONFIGURED_BY_CUSTOMER);
            drained = stop(job, true);
        } catch (Exception | AssertionError e) {
            job.cancel();
            throw e;
        }
    }

    @Test
    void writesTheConfigIntoRouteAndBuffer() throws Exception {
        assertThat(bootstrap.out())
                .isEqualTo(
                        "Savepoint        "
                                + savepoint
                                + "\n"
                                + "Config           version 5 with 4 jobs, in the broadcast state"
                                + " of route and buffer (read back)\n"
                                + "Max parallelism  128\n"
                                + "Start the job from it with a --config of version 5 or older;"
                                + " a newer start config replaces this one.\n");
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(savepoint);
        assertThat(metadata.getOperatorStates())
                .extracting(o -> o.getOperatorUid().orElse(null))
                .containsExactlyInAnyOrder(SluicePipeline.ROUTE_UID, SluicePipeline.BUFFER_UID);
        for (OperatorState operator : metadata.getOperatorStates()) {
            assertThat(operator.getMaxParallelism()).isEqualTo(128);
            assertThat(operator.getParallelism()).isEqualTo(1);
            assertThat(operator.getState(0).getManagedOperatorState()).hasSize(1);
        }
        assertThat(CommandRun.of("inspect", savepoint).out())
                .contains("Config     version 5 with 4 jobs (broadcast state)")
                .contains("No job has buffer state");
    }

    /** Customers 3 and 4 have no job in the start config, and customer 2 has job 9 there. */
    @Test
    void theJobRoutesByTheBootstrappedConfigNotItsOlderStartConfig() {
        assertThat(byJobId(routed)).isEqualTo(BY_VERSION_5);
        assertThat(unconfigured).isEmpty();
    }

    /**
     * At the drain the buffer closes every batch to the destination its config names; a job it did
     * not know (jobs 2–4 are not in the start config) would keep its records. Jobs 1–3 are keyed to
     * buffer subtask 1 and job 4 to subtask 0, so both subtasks must hold the config.
     */
    @Test
    void theBufferDeliversByTheBootstrappedConfig() throws Exception {
        assertThat(
                        BOOTSTRAPPED.keySet().stream()
                                .map(
                                        id ->
                                                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                                        id,
                                                        ConfigSavepointWriter
                                                                .DEFAULT_MAX_PARALLELISM,
                                                        PARALLELISM))
                                .collect(Collectors.toSet()))
                .as("buffer subtasks of the jobs")
                .containsExactlyInAnyOrder(0, 1);

        CommandRun check = CommandRun.of("drain-check", drained);

        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).isEqualTo("nothing buffered: 4 jobs, all empty\n");
        assertThat(deliveredRecordsByJob()).isEqualTo(BY_VERSION_5);
        assertThat(CommandRun.of("inspect", drained).out())
                .contains("Config     version 5 with 4 jobs (broadcast state)");
    }

    private static long unconfiguredRecords(JobClient job) {
        try {
            return sum(counts(job, RouteFunction.UNCONFIGURED_BY_CUSTOMER));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A first deployment with no {@code --config} at all: the bootstrapped savepoint is its only
     * config. New records of customer 3 (no job in the older start config above, job 3 in the
     * bootstrapped one) are routed to job 3.
     */
    @Test
    void aJobStartedWithoutAStartConfigRunsOnTheBootstrappedOne(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        JobClient job = startJob(cluster, null, savepoint);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            produceLogs(producer, customer(3), RECORDS_PER_CUSTOMER, RECORDS_PER_CUSTOMER);
            // The group's committed offsets decide whether older records are read again: either
            // way every record read is routed by the bootstrapped config, none dropped.
            awaitCounts(
                    job,
                    RouteFunction.ROUTED_BY_JOB,
                    r -> r.getOrDefault("3", 0L) >= RECORDS_PER_CUSTOMER);
            assertThat(byJobId(counts(job, RouteFunction.ROUTED_BY_JOB)).keySet())
                    .isSubsetOf(BOOTSTRAPPED.keySet());
            assertThat(counts(job, RouteFunction.UNCONFIGURED_BY_CUSTOMER)).isEmpty();
        } finally {
            job.cancel().get();
        }
    }
}
