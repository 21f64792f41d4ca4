package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.savepoints.JobBuffer;
import dev.sluice.savepoints.SavepointInspector;
import dev.sluice.savepoints.SavepointSummary;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.ObjectSink;

import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints taken while every job's buffer holds records, restored into a changed job graph (an
 * upgrade) and at other parallelisms (a rescale, 2 → 1 → 4): every record is delivered exactly
 * once, only in its customer's objects, and each job's batch sequence carries on from the savepoint
 * without reusing a key.
 *
 * <p>Odd jobs and the fan-out job close a batch every {@value #SMALL_BATCH} records, so their
 * sequences advance on both sides of each savepoint; even jobs keep the default 100,000, so all
 * their records wait in state until the final drain. No batch closes by time (the interval is the
 * maximum, 300 s). No phase ends on a multiple of {@value #SMALL_BATCH}, so every buffer is
 * non-empty at every savepoint, which the test checks in the savepoint itself.
 */
class UpgradeAndRescaleITCase extends ServersTestBase {

    /** {@code max_upload_records} of the odd jobs and the fan-out job (the minimum allowed). */
    private static final long SMALL_BATCH = 1_000;

    /** Every job's {@code max_upload_interval_seconds}: the maximum, longer than the test. */
    private static final int INTERVAL_SECONDS = 300;

    /** {@code max_upload_records} 0: the default, 100,000. */
    private static final long DEFAULT_BATCH = 0;

    /** Enough partitions for every source reader at parallelism 4. */
    private static final int PARTITIONS = 4;

    private static final String PASS_THROUGH_UID = "upgrade-pass-through";
    private static final OperatorIdentifier BUFFER =
            OperatorIdentifier.forUid(SluicePipeline.BUFFER_UID);

    /**
     * Parallelism 4 needs 4 slots: this class's own cluster, two TaskManagers of 2 slots, so a
     * rescale also moves key groups between TaskManagers. The base's 2-slot cluster idles.
     */
    @RegisterExtension static final MiniClusterExtension FOUR_SLOTS = miniCluster(2, 2);

    /** Jobs go to this class's cluster: the base's would leave parallelism 4 waiting for slots. */
    @BeforeEach
    void environmentIsTheFourSlotCluster() {
        assertThat(StreamExecutionEnvironment.getExecutionEnvironment().getParallelism())
                .isEqualTo(FOUR_SLOTS.getNumberSlots());
    }

    @Test
    void anUpgradedJobGraphCarriesOnFromASavepoint() throws Exception {
        Deployment deployment = new Deployment("upgrade");
        JobClient v1 = deployment.start(PARALLELISM);
        deployment.produce(v1, "v1-", 1_500);
        String savepoint = deployment.stop(v1, false);
        deployment.assertBuffered(savepoint, PARALLELISM);

        JobClient v2 = deployment.upgrade(savepoint);
        deployment.produce(v2, "v2-", 1_200);
        deployment.stop(v2, true);
        deployment.assertExactlyOnce();
    }

    @Test
    void aJobRescaledTwiceCarriesOnFromItsSavepoints() throws Exception {
        // The jobs' keys are on both subtasks at 2 and on three of four at 4: state moves.
        assertThat(bufferSubtasks(2)).hasSize(2);
        assertThat(bufferSubtasks(4)).hasSizeGreaterThan(2);
        Deployment deployment = new Deployment("rescale");
        JobClient two = deployment.start(2);
        deployment.produce(two, "p2-", 1_500);
        String first = deployment.stop(two, false);
        deployment.assertBuffered(first, 2);

        JobClient one = deployment.restore(first, 1);
        deployment.produce(one, "p1-", 1_200);
        String second = deployment.stop(one, false);
        deployment.assertBuffered(second, 1);

        JobClient four = deployment.restore(second, 4);
        deployment.produce(four, "p4-", 900);
        deployment.stop(four, true);
        deployment.assertExactlyOnce();
    }

    /**
     * The buffer subtasks that own the jobs' keys at {@code parallelism}, with the max parallelism
     * (128) that Flink derives for the first run and every savepoint then keeps.
     */
    private static Set<Integer> bufferSubtasks(int parallelism) {
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(PARALLELISM);
        return TenantFixture.jobs().keySet().stream()
                .map(
                        id ->
                                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                        id, maxParallelism, parallelism))
                .collect(Collectors.toSet());
    }

    private static long maxUploadRecords(long jobId) {
        return jobId % 2 == 1 ? SMALL_BATCH : DEFAULT_BATCH;
    }

    /** The batch size a job's records are counted in: the default when the config says 0. */
    private static long batchLimit(long jobId) {
        long configured = maxUploadRecords(jobId);
        return configured == DEFAULT_BATCH ? 100_000 : configured;
    }

    private static long sequenceOf(DeliveredObject object) {
        return ObjectKeys.sequenceOf(object.key(), object.jobId()).orElseThrow();
    }

    /**
     * One logical deployment of the job across its runs: its topics, bucket and config stay, each
     * run restores the previous run's savepoint. Remembers what it produced and what it saw.
     */
    private static final class Deployment {
        private final String name;
        private final String config;
        private final BucketReader reader;
        private final Map<String, Integer> phases = new LinkedHashMap<>();
        private final List<DeliveredObject> seenAtStops = new ArrayList<>();
        private long perCustomer;

        Deployment(String name) {
            this.name = name;
            s3.createBucket(name);
            kafka.createTopic(name + "-logs", PARTITIONS);
            kafka.createTopic(name + "-config", 1);
            kafka.createTopic(name + "-dlq", 1);
            kafka.createCompactedTopic(name + "-status");
            config =
                    TenantFixture.config(
                            s3, name, UpgradeAndRescaleITCase::maxUploadRecords, INTERVAL_SECONDS);
            reader = new BucketReader(s3Client, name);
        }

        /** Starts the first run. */
        JobClient start(int parallelism) throws Exception {
            return run(parallelism, null, false);
        }

        /** Starts the same job graph at {@code parallelism} from {@code savepoint}. */
        JobClient restore(String savepoint, int parallelism) throws Exception {
            return run(parallelism, savepoint, false);
        }

        /**
         * Starts a changed job graph from {@code savepoint}: an extra stateless operator with its
         * own uid between the source and the router (which also changes the operator chains).
         */
        JobClient upgrade(String savepoint) throws Exception {
            return run(PARALLELISM, savepoint, true);
        }

        private JobClient run(int parallelism, String savepoint, boolean upgraded)
                throws Exception {
            Configuration conf = jobConfiguration(name, false);
            if (savepoint != null) {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            }
            StreamExecutionEnvironment env = environment(conf);
            env.setParallelism(parallelism);
            DataStream<byte[]> logs = SluiceJob.logs(env, conf);
            if (upgraded) {
                logs =
                        logs.map(
                                        value -> value,
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                                .uid(PASS_THROUGH_UID)
                                .name("Pass-through (upgrade)");
            }
            SluicePipeline.define(
                    logs,
                    SluiceJob.configUpdates(env, conf),
                    config,
                    SluiceOptions.guard(conf),
                    new ObjectSink(),
                    SluiceJob.deadLetterSink(conf));
            return env.executeAsync("sluice-" + name + "-p" + parallelism);
        }

        /** Produces {@code count} records of every customer and waits until all are routed. */
        void produce(JobClient job, String tag, int count) throws Exception {
            for (int c = 1; c <= TenantFixture.CUSTOMERS; c++) {
                TenantFixture.produce(
                        kafka.bootstrapServers(),
                        name + "-logs",
                        TenantFixture.customer(c),
                        tag,
                        count);
            }
            phases.put(tag, count);
            perCustomer += count;
            Map<String, Long> expected = new HashMap<>();
            TenantFixture.jobs().keySet().forEach(id -> expected.put(id.toString(), (long) count));
            assertThat(RoutedCounts.await(job, routed -> allRouted(routed, count)))
                    .as("routed by this run")
                    .isEqualTo(expected);
        }

        /** Stops with a savepoint (and with a drain if asked); returns the savepoint's path. */
        String stop(JobClient job, boolean drain) throws Exception {
            String savepoint =
                    job.stopWithSavepoint(
                                    drain,
                                    dir.resolve("savepoints").resolve(name).toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(2, TimeUnit.MINUTES);
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            seenAtStops.addAll(reader.readNew());
            return savepoint;
        }

        /**
         * The savepoint holds every job's open batch, with the ledger and next sequence that the
         * records so far imply, and no object of a later sequence is visible yet.
         */
        void assertBuffered(String savepoint, int parallelism) throws Exception {
            OperatorState buffer = bufferState(savepoint);
            assertThat(buffer.getParallelism()).isEqualTo(parallelism);
            assertThat(buffer.getMaxParallelism())
                    .isEqualTo(KeyGroupRangeAssignment.computeDefaultMaxParallelism(PARALLELISM));
            SavepointSummary summary = new SavepointInspector().inspect(savepoint);
            assertThat(summary.format()).isEqualTo("canonical");
            assertThat(summary.warnings()).isEmpty();
            Map<Long, JobBuffer> buffers =
                    summary.jobs().stream()
                            .collect(Collectors.toMap(JobBuffer::jobId, Function.identity()));
            assertThat(buffers.keySet()).isEqualTo(TenantFixture.jobs().keySet());
            buffers.values().forEach(this::assertBuffer);
            for (DeliveredObject o : seenAtStops) {
                assertThat(sequenceOf(o))
                        .as("%s is visible at the savepoint", o.key())
                        .isLessThan(buffers.get(o.jobId()).nextSeq());
            }
        }

        private void assertBuffer(JobBuffer buffer) {
            long limit = batchLimit(buffer.jobId());
            assertThat(buffer.consistent())
                    .as("job %d's state matches its bookkeeping", buffer.jobId())
                    .isTrue();
            assertThat(buffer.metaRecords())
                    .as("job %d's open batch", buffer.jobId())
                    .isPositive()
                    .isEqualTo(perCustomer % limit);
            assertThat(buffer.nextSeq())
                    .as("job %d's next sequence", buffer.jobId())
                    .isEqualTo(perCustomer / limit);
            assertThat(buffer.recordsIn()).isEqualTo(perCustomer);
            assertThat(buffer.recordsEmitted()).isEqualTo(perCustomer - perCustomer % limit);
        }

        /**
         * Every record of every configured customer in exactly one object of each of its jobs, each
         * job's sequences 0, 1, 2, … without a gap or a repeat, and no object replaced.
         */
        void assertExactlyOnce() throws Exception {
            assertThat(s3Client.listMultipartUploads(r -> r.bucket(name)).uploads())
                    .as("multipart uploads left behind")
                    .isEmpty();
            List<DeliveredObject> objects = new BucketReader(s3Client, name).readNew();
            assertThat(objects).as("objects seen at the stops, unchanged").containsAll(seenAtStops);
            Map<Long, List<DeliveredObject>> byJob =
                    objects.stream().collect(Collectors.groupingBy(DeliveredObject::jobId));
            assertThat(byJob.keySet())
                    .as("jobs with objects: the configured ones")
                    .isEqualTo(TenantFixture.jobs().keySet());
            for (Map.Entry<Long, String> job : TenantFixture.jobs().entrySet()) {
                assertJobDelivered(job.getKey(), job.getValue(), byJob.get(job.getKey()));
            }
        }

        private void assertJobDelivered(long jobId, String customer, List<DeliveredObject> objects)
                throws Exception {
            List<String> ids = new ArrayList<>();
            for (DeliveredObject o : objects) {
                ids.addAll(recordIdsOf(o, jobId, customer));
            }
            assertThat(ids).as("job %d delivered each record once", jobId).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids))
                    .as("job %d delivered every record", jobId)
                    .isEqualTo(expectedIds(customer));
            long batches = (perCustomer + batchLimit(jobId) - 1) / batchLimit(jobId);
            assertThat(objects.stream().map(UpgradeAndRescaleITCase::sequenceOf))
                    .as("job %d's sequences", jobId)
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.range(0, batches).boxed().toList());
        }

        /** The record ids of one object, checking its key and that each line is its customer's. */
        private List<String> recordIdsOf(DeliveredObject o, long jobId, String customer)
                throws Exception {
            assertThat(o.key()).startsWith(customer + "/job-" + jobId + "/20241114/");
            assertThat((long) o.lines().size()).isLessThanOrEqualTo(batchLimit(jobId));
            return DeliveredRecords.ids(o, customer);
        }

        private Set<String> expectedIds(String customer) {
            Set<String> ids = new HashSet<>();
            phases.forEach(
                    (tag, count) ->
                            IntStream.range(0, count)
                                    .forEach(n -> ids.add(customer + ":" + tag + n)));
            return ids;
        }
    }

    /** The buffer operator's state in the savepoint's metadata. */
    private static OperatorState bufferState(String savepoint) throws Exception {
        return SavepointLoader.loadSavepointMetadata(savepoint).getOperatorStates().stream()
                .filter(o -> o.getOperatorID().equals(BUFFER.getOperatorId()))
                .findFirst()
                .orElseThrow();
    }

    private static boolean allRouted(Map<String, Long> routed, long count) {
        return TenantFixture.jobs().keySet().stream()
                .allMatch(id -> routed.getOrDefault(id.toString(), 0L) >= count);
    }
}
