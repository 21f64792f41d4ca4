package dev.sluice.tests;

import dev.sluice.buffer.BufferSettings;
import dev.sluice.buffer.FlushReason;
import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.local.FaultProxy;
import dev.sluice.sink.ObjectSink;
import dev.sluice.sink.SinkSettings;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow object store: every S3 request is held back at the HTTP layer. The writer waits for the
 * store when too much is in flight, and the committer's writes hold the task at each checkpoint, so
 * the slowness must travel back to the Kafka source as backpressure while the buffer stays within
 * its per-subtask caps (delivering early, smaller objects); once the input ends, every record is in
 * exactly one object. Both ways to the store meet it: staged objects (three requests each) and
 * whole ones (one request at the commit).
 */
class SlowObjectStoreITCase extends ServersTestBase {

    private static final long DELAY_MILLIS = 200;
    private static final int RECORDS_PER_CUSTOMER = 3_000;

    private static final BufferSettings BUFFER =
            BufferSettings.defaults()
                    .withChunkBytes(64 * 1024)
                    .withMaxBytes(128 * 1024)
                    .withMaxActiveJobs(4);

    /**
     * Between buffering a record and enforcing the caps, and while the batches the caps pick are
     * uploaded, the gauges count one record more (bytes) or one batch more (jobs) than the cap.
     */
    private static final long MAX_BYTES_SEEN = BUFFER.maxBytes() + 1024;

    private static final int MAX_ACTIVE_JOBS_SEEN = BUFFER.maxActiveJobs() + 1;

    private static final String BUFFER_OPERATOR = "Per-job buffer";
    private static final String LOGS_SOURCE_TASK = "Source: Forwarded logs";

    /** Retained, so the source's backpressure can be read after its task finished. */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    /**
     * This class's cluster, the one jobs go to (registered after the base's): it reports metrics to
     * {@link #METRICS}, and its small network buffers hold little in flight, so the source feels
     * the slow store within a few hundred kilobytes rather than after tens of megabytes.
     */
    @RegisterExtension
    static final MiniClusterExtension REPORTING =
            miniCluster(1, PARALLELISM, reportingConfiguration());

    private static Configuration reportingConfiguration() {
        Configuration conf = fastHeartbeats();
        conf.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, MemorySize.parse("8kb"));
        return METRICS.addToConfiguration(conf);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"staged", "whole"})
    void aSlowStoreBackpressuresTheSourceWithinTheCapsAndDeliversEveryRecordOnce(String objects)
            throws Exception {
        boolean staged = objects.equals("staged");
        SinkSettings sink =
                staged ? SinkSettings.none().withWholeObjectMaxBytes(0) : SinkSettings.none();
        String name = "slow-store-" + objects;
        String bucket = name;
        s3.createBucket(bucket);
        createTopics(name);
        // One customer after another, as a burst per tenant: the active-jobs cap then closes
        // batches of jobs that went quiet rather than one tiny batch per record.
        for (int c = 1; c <= TenantFixture.CUSTOMERS; c++) {
            TenantFixture.produce(
                    kafka.bootstrapServers(),
                    name + "-logs",
                    TenantFixture.customer(c),
                    "",
                    RECORDS_PER_CUSTOMER);
        }

        Samples samples;
        long delayedRequests;
        try (FaultProxy proxy =
                new FaultProxy(s3.endpoint().getPort()).delayEveryRequest(DELAY_MILLIS)) {
            Configuration conf = jobConfiguration(name, true);
            StreamExecutionEnvironment env = environment(conf);
            SluicePipeline.define(
                    SluiceJob.logs(env, conf),
                    SluiceJob.configUpdates(env, conf),
                    config(proxy.endpoint(), bucket),
                    SluiceOptions.guard(conf),
                    BUFFER,
                    new ObjectSink(sink),
                    SluiceJob.deadLetterSink(conf));
            JobClient job = env.executeAsync("sluice-slow-store");
            Sampler sampler = new Sampler(job.getJobID());
            sampler.start();
            try {
                job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
            } finally {
                samples = sampler.finish();
                if (!job.getJobStatus().get().isGloballyTerminalState()) {
                    job.cancel().get(30, TimeUnit.SECONDS);
                }
            }
            samples.readEnd(job.getJobID());
            delayedRequests = proxy.delayedRequests();
        }

        List<DeliveredObject> delivered = new BucketReader(s3Client, bucket).readNew();
        Map<String, Integer> flushReasons = flushReasons(bucket, delivered);
        System.out.printf(
                Locale.ROOT,
                "%s: %d requests delayed, %d objects by flush reason %s, max bufferedBytes %d,"
                        + " max activeJobs %d (%d samples), source backpressured %d ms"
                        + " (seen by sampling: %b), restarts %d%n",
                getClass().getSimpleName() + " " + objects,
                delayedRequests,
                delivered.size(),
                flushReasons,
                samples.maxBufferedBytes,
                samples.maxActiveJobs,
                samples.count,
                samples.sourceBackPressuredMillis,
                samples.sourceSeenBackPressured,
                samples.restarts);

        // Staging, uploading and completing each object are requests of their own; a whole
        // object is one.
        assertThat(delayedRequests)
                .as("requests the proxy held back, for %d objects", delivered.size())
                .isGreaterThanOrEqualTo((staged ? 3L : 1L) * delivered.size())
                .isPositive();
        assertThat(samples.restarts).as("a slow store slows the job, it does not fail it").isZero();

        assertThat(samples.count).as("buffer gauge samples").isPositive();
        assertThat(samples.maxBufferedBytes)
                .as("bytes held by one subtask's open batches")
                .isPositive()
                .isLessThanOrEqualTo(MAX_BYTES_SEEN);
        assertThat(samples.maxActiveJobs)
                .as("open batches of one subtask")
                .isPositive()
                .isLessThanOrEqualTo(MAX_ACTIVE_JOBS_SEEN);
        assertThat(
                        flushReasons.getOrDefault(FlushReason.BYTES_CAP.name(), 0)
                                + flushReasons.getOrDefault(FlushReason.ACTIVE_JOBS_CAP.name(), 0))
                .as("batches delivered early by a cap, of %s", flushReasons)
                .isPositive();
        assertThat(samples.sourceBackPressuredMillis)
                .as("time the Kafka source waited for the slow downstream")
                .isPositive();

        assertThat(s3Client.listMultipartUploads(r -> r.bucket(bucket)).uploads())
                .as("multipart uploads left behind")
                .isEmpty();
        assertEveryRecordOnce(delivered);
    }

    private static void assertEveryRecordOnce(List<DeliveredObject> objects) throws Exception {
        Map<Long, String> jobs = TenantFixture.jobs();
        for (Map.Entry<Long, String> job : jobs.entrySet()) {
            long jobId = job.getKey();
            String customer = job.getValue();
            List<String> ids = new ArrayList<>();
            for (DeliveredObject o : objects) {
                if (o.jobId() == jobId) {
                    assertThat(o.key()).startsWith(customer + "/job-" + jobId + "/");
                    ids.addAll(DeliveredRecords.ids(o, customer));
                }
            }
            assertThat(ids).as("job %d delivered each record once", jobId).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids))
                    .as("job %d delivered all records", jobId)
                    .isEqualTo(expectedIds(customer));
        }
        Set<Long> jobsWithObjects =
                objects.stream().map(DeliveredObject::jobId).collect(Collectors.toSet());
        assertThat(jobsWithObjects)
                .as("no object for unconfigured customers")
                .isEqualTo(jobs.keySet());
    }

    private static Set<String> expectedIds(String customer) {
        return IntStream.range(0, RECORDS_PER_CUSTOMER)
                .mapToObj(n -> customer + ":" + n)
                .collect(Collectors.toSet());
    }

    /** Objects by the flush reason in their user metadata; read from the server, not the proxy. */
    private static Map<String, Integer> flushReasons(String bucket, List<DeliveredObject> objects) {
        Map<String, Integer> reasons = new TreeMap<>();
        for (DeliveredObject o : objects) {
            String reason =
                    s3Client.headObject(r -> r.bucket(bucket).key(o.key()))
                            .metadata()
                            .get("sluice-flush-reason");
            reasons.merge(String.valueOf(reason), 1, Integer::sum);
        }
        return reasons;
    }

    /**
     * TenantFixture's jobs with destinations through the proxy; no per-job record limit, so only
     * the caps, the interval and the end of input close batches.
     */
    private static String config(URI endpoint, String bucket) {
        List<String> entries = new ArrayList<>();
        for (Map.Entry<Long, String> job : TenantFixture.jobs().entrySet()) {
            entries.add(
                    String.format(
                            Locale.ROOT,
                            "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                                    + " \"destination_conf\": \"s3://%s/%s/job-%d/{DATE}"
                                    + "?endpoint=%s&access-key-id=%s&secret-access-key=%s\","
                                    + " \"output_options\": {\"field_names\":"
                                    + " [\"timestamp\", \"RecordId\", \"Customer\"]}}",
                            job.getKey(),
                            job.getValue(),
                            bucket,
                            job.getValue(),
                            job.getKey(),
                            endpoint,
                            s3.accessKey(),
                            s3.secretKey()));
        }
        return "{\"version\": 1, \"jobs\": [" + String.join(",", entries) + "]}";
    }

    /**
     * Samples the buffer's gauges of every subtask, and whether the source is backpressured, while
     * the job runs. The gauges are read off the task thread: a racy read of a size and a sum, good
     * enough for a maximum.
     */
    private static final class Sampler extends Thread {
        private final JobID job;
        private final Samples samples = new Samples();
        private volatile boolean stop;

        Sampler(JobID job) {
            super("buffer-gauge-sampler");
            setDaemon(true);
            this.job = job;
        }

        @Override
        public void run() {
            List<Gauge<?>> bytes = List.of();
            List<Gauge<?>> jobs = List.of();
            List<Gauge<?>> backPressured = List.of();
            while (!stop) {
                // Looked up until every subtask has registered its gauges.
                if (bytes.size() < PARALLELISM
                        || jobs.size() < PARALLELISM
                        || backPressured.size() < PARALLELISM) {
                    bytes =
                            gauges(
                                    job,
                                    "bufferedBytes",
                                    ScopeFormat.SCOPE_OPERATOR_NAME,
                                    BUFFER_OPERATOR);
                    jobs =
                            gauges(
                                    job,
                                    "activeJobs",
                                    ScopeFormat.SCOPE_OPERATOR_NAME,
                                    BUFFER_OPERATOR);
                    backPressured =
                            gauges(
                                    job,
                                    "isBackPressured",
                                    ScopeFormat.SCOPE_TASK_NAME,
                                    LOGS_SOURCE_TASK);
                }
                for (Gauge<?> g : bytes) {
                    samples.maxBufferedBytes =
                            Math.max(samples.maxBufferedBytes, ((Number) g.getValue()).longValue());
                }
                for (Gauge<?> g : jobs) {
                    samples.maxActiveJobs =
                            Math.max(samples.maxActiveJobs, ((Number) g.getValue()).intValue());
                }
                for (Gauge<?> g : backPressured) {
                    samples.sourceSeenBackPressured |= Boolean.TRUE.equals(g.getValue());
                }
                if (!bytes.isEmpty()) {
                    samples.count++;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Samples finish() throws InterruptedException {
            stop = true;
            join(10_000);
            return samples;
        }
    }

    /** What the sampler and the retained metrics saw. */
    private static final class Samples {
        long count;
        long maxBufferedBytes;
        int maxActiveJobs;
        boolean sourceSeenBackPressured;
        long sourceBackPressuredMillis;
        long restarts = -1;

        /** Reads the totals the finished job left in the retained metrics. */
        void readEnd(JobID job) {
            sourceBackPressuredMillis = 0;
            for (Gauge<?> g :
                    gauges(
                            job,
                            "accumulateBackPressuredTimeMs",
                            ScopeFormat.SCOPE_TASK_NAME,
                            LOGS_SOURCE_TASK)) {
                sourceBackPressuredMillis += ((Number) g.getValue()).longValue();
            }
            for (Tuple3<MetricGroup, String, Metric> m :
                    METRICS.findJobMetricGroups(job, "^numRestarts$")) {
                restarts = ((Number) ((Gauge<?>) m.f2).getValue()).longValue();
            }
        }
    }

    /** The gauges named {@code metric} of the groups whose scope variable starts with a prefix. */
    private static List<Gauge<?>> gauges(
            JobID job, String metric, String scopeVariable, String prefix) {
        Map<MetricGroup, Gauge<?>> found = new HashMap<>();
        for (Tuple3<MetricGroup, String, Metric> m :
                METRICS.findJobMetricGroups(job, "^" + metric + "$")) {
            String value = m.f0.getAllVariables().get(scopeVariable);
            if (value != null && value.startsWith(prefix) && m.f2 instanceof Gauge) {
                found.put(m.f0, (Gauge<?>) m.f2);
            }
        }
        return new ArrayList<>(found.values());
    }
}
