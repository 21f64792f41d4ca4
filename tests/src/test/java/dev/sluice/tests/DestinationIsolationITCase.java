package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.local.FaultProxy;
import dev.sluice.sink.ObjectSink;
import dev.sluice.sink.SinkSettings;
import dev.sluice.tools.RedriveCommand;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One customer's broken destination must not stall or fail anyone else: four jobs write to a
 * destination that is missing its bucket, denies access, answers 500, or hangs; the 20 others
 * deliver as usual, the broken jobs' batches are parked whole, the Flink job never restarts, and
 * every record is delivered or parked exactly once.
 */
class DestinationIsolationITCase extends ServersTestBase {

    private static final String NAME = "isolation";
    private static final String GOOD = "isolation-good";
    private static final String PARKED = "isolation-parked";
    private static final String MISSING = "isolation-missing";
    private static final int EXTRA_HEALTHY_JOBS = 15;

    /** Job → why its destination fails. */
    private static final Map<Long, String> BROKEN =
            Map.of(5L, "hangs", 6L, "missing bucket", 7L, "denies access", 8L, "answers 500");

    private static final JobMetrics METRICS = new JobMetrics();

    /** This class's cluster (registered after the base's): its metrics stay readable. */
    @RegisterExtension
    static final MiniClusterExtension REPORTING = METRICS.cluster(new Configuration());

    @Test
    void brokenDestinationsAreParkedWhileEveryoneElseDelivers() throws Exception {
        s3.createBucket(GOOD);
        s3.createBucket(PARKED);
        createTopics(NAME);
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs");

        JobID jobId;
        try (FailingS3 failing = new FailingS3();
                FaultProxy hanging =
                        new FaultProxy(s3.endpoint().getPort()).delayEveryRequest(5_000)) {
            Configuration conf = jobConfiguration(NAME, true);
            StreamExecutionEnvironment env = environment(conf);
            SluicePipeline.define(
                    SluiceJob.logs(env, conf),
                    SluiceJob.configUpdates(env, conf),
                    config(failing.endpoint(), hanging.endpoint(), GOOD, MISSING),
                    SluiceOptions.guard(conf),
                    new ObjectSink(
                            SinkSettings.none()
                                    .withPark(TenantFixture.destination(s3, PARKED, "parked"))),
                    SluiceJob.deadLetterSink(conf));
            JobClient job = env.executeAsync("sluice-" + NAME);
            jobId = job.getJobID();
            job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
            assertThat(failing.requests()).as("the 500s were tried").isPositive();
        }

        assertThat(METRICS.restarts(jobId)).as("the Flink job never failed").isZero();
        assertThat(METRICS.counter(jobId, "parkedBatches")).isPositive();

        List<DeliveredObject> delivered = new BucketReader(s3Client, GOOD).readNew();
        List<DeliveredObject> parked = new BucketReader(s3Client, PARKED).readNew();
        for (Map.Entry<Long, String> job : jobs().entrySet()) {
            long id = job.getKey();
            boolean broken = BROKEN.containsKey(id);
            List<DeliveredObject> where = broken ? parked : delivered;
            List<DeliveredObject> notThere = broken ? delivered : parked;
            List<String> ids = DeliveredRecords.ids(where, id);
            assertThat(ids).as("job %d, exactly once", id).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids))
                    .as("job %d (%s)", id, broken ? BROKEN.get(id) : "healthy")
                    .isEqualTo(expectedIds(job.getValue()));
            assertThat(notThere).extracting(DeliveredObject::jobId).doesNotContain(id);
        }
        for (DeliveredObject o : parked) {
            assertThat(o.key()).startsWith("parked/" + jobs().get(o.jobId()) + "/");
            Map<String, String> metadata =
                    s3Client.headObject(r -> r.bucket(PARKED).key(o.key())).metadata();
            assertThat(metadata).containsKeys("sluice-destination", "sluice-parked-reason");
            assertThat(metadata.get("sluice-destination"))
                    .doesNotContain(s3.secretKey())
                    // Inline keys are named by their digest from the moment the job is read.
                    .doesNotContain("secret-access-key")
                    .contains("credentials=inline-");
        }
        // A request to the hanging store that the client gave up on still reaches the server
        // later and may start an upload nobody knows the id of: invisible, never completed, and
        // what a bucket's AbortIncompleteMultipartUpload rule is for. Every other job's are gone.
        String hangingPrefix = jobs().get(5L) + "/job-5/";
        assertThat(s3Client.listMultipartUploads(r -> r.bucket(GOOD)).uploads())
                .filteredOn(u -> !u.key().startsWith(hangingPrefix))
                .isEmpty();
        assertThat(s3Client.listMultipartUploads(r -> r.bucket(PARKED)).uploads()).isEmpty();

        redriveOnceFixed(parked);
    }

    /**
     * {@code park-destination: none}, the operator's opt-out: the broken jobs' batches are
     * discarded, every one counted, and nothing else changes: the others deliver exactly once and
     * the Flink job never restarts.
     */
    @Test
    void withoutAParkStoreBrokenDestinationsAreDiscardedAndCountedWhileEveryoneElseDelivers()
            throws Exception {
        String name = NAME + "-none";
        String good = GOOD + "-none";
        s3.createBucket(good);
        createTopics(name);
        TenantFixture.produce(kafka.bootstrapServers(), name + "-logs");

        JobID jobId;
        try (FailingS3 failing = new FailingS3();
                FaultProxy hanging =
                        new FaultProxy(s3.endpoint().getPort()).delayEveryRequest(5_000)) {
            Configuration conf = jobConfiguration(name, true);
            StreamExecutionEnvironment env = environment(conf);
            SluicePipeline.define(
                    SluiceJob.logs(env, conf),
                    SluiceJob.configUpdates(env, conf),
                    // Not the other test's missing bucket: its redrive creates that one.
                    config(failing.endpoint(), hanging.endpoint(), good, MISSING + "-none"),
                    SluiceOptions.guard(conf),
                    new ObjectSink(SinkSettings.none().withPark(SinkSettings.NO_PARK_DESTINATION)),
                    SluiceJob.deadLetterSink(conf));
            JobClient job = env.executeAsync("sluice-" + name);
            jobId = job.getJobID();
            job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        }

        assertThat(METRICS.restarts(jobId)).as("the Flink job never failed").isZero();
        long brokenRecords = BROKEN.size() * (long) TenantFixture.RECORDS_PER_CUSTOMER;
        assertThat(METRICS.counter(jobId, "discardedRecords"))
                .as("every record of the broken jobs, counted as discarded")
                .isEqualTo(brokenRecords);
        assertThat(METRICS.counter(jobId, "discardedBatches")).isPositive();
        assertThat(METRICS.counter(jobId, "parkedBatches")).isZero();

        List<DeliveredObject> delivered = new BucketReader(s3Client, good).readNew();
        for (Map.Entry<Long, String> job : jobs().entrySet()) {
            long id = job.getKey();
            List<String> ids = DeliveredRecords.ids(delivered, id);
            if (BROKEN.containsKey(id)) {
                assertThat(ids).as("job %d (%s), discarded", id, BROKEN.get(id)).isEmpty();
            } else {
                assertThat(ids).as("job %d, exactly once", id).doesNotHaveDuplicates();
                assertThat(new HashSet<>(ids))
                        .as("job %d", id)
                        .isEqualTo(expectedIds(job.getValue()));
            }
        }
    }

    /**
     * The missing bucket is created; `bin/sluice redrive` then moves that job's parked batches to
     * it under their own keys, and only that job's.
     */
    private static void redriveOnceFixed(List<DeliveredObject> parkedBefore) throws Exception {
        long job = 6;
        s3.createBucket(MISSING);
        String customer = jobs().get(job);
        int status =
                new CommandLine(new RedriveCommand())
                        .execute(
                                "--from=" + TenantFixture.destination(s3, PARKED, "parked"),
                                "--to="
                                        + TenantFixture.destination(
                                                s3, MISSING, customer + "/job-" + job),
                                "--job=" + job,
                                // Parked seconds ago, by a job that has ended.
                                "--min-age=0");
        assertThat(status).isZero();

        List<DeliveredObject> redriven = new BucketReader(s3Client, MISSING).readNew();
        List<String> ids = DeliveredRecords.ids(redriven, job);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(expectedIds(customer));
        assertThat(redriven)
                .extracting(o -> "parked/" + o.key())
                .containsExactlyInAnyOrderElementsOf(
                        parkedBefore.stream()
                                .filter(o -> o.jobId() == job)
                                .map(DeliveredObject::key)
                                .collect(Collectors.toList()));
        List<DeliveredObject> parkedAfter = new BucketReader(s3Client, PARKED).readNew();
        assertThat(parkedAfter).extracting(DeliveredObject::jobId).doesNotContain(job);
        assertThat(parkedAfter).extracting(DeliveredObject::jobId).contains(5L, 7L, 8L);
    }

    /**
     * The fixture's jobs and, fanned out from its first five customers, 15 more healthy ones: 20
     * healthy jobs deliver next to the 4 broken ones.
     */
    private static Map<Long, String> jobs() {
        Map<Long, String> jobs = new java.util.LinkedHashMap<>(TenantFixture.jobs());
        for (int i = 0; i < EXTRA_HEALTHY_JOBS; i++) {
            jobs.put(201L + i, TenantFixture.customer(1 + i % 5));
        }
        return jobs;
    }

    private static Set<String> expectedIds(String customer) {
        return IntStream.range(0, TenantFixture.RECORDS_PER_CUSTOMER)
                .mapToObj(n -> customer + ":" + n)
                .collect(Collectors.toSet());
    }

    /** The fixture's jobs, the broken ones pointed at their kind of failure. */
    private static String config(URI failing, URI hanging, String good, String missing) {
        List<String> jobs = new ArrayList<>();
        for (Map.Entry<Long, String> job : jobs().entrySet()) {
            long id = job.getKey();
            String customer = job.getValue();
            String prefix = customer + "/job-" + id;
            String destination;
            switch (BROKEN.getOrDefault(id, "")) {
                case "hangs":
                    destination =
                            endpointed(hanging, good, prefix, s3.secretKey())
                                    + "&attempt-timeout-ms=300&call-timeout-ms=1500&create-timeout-ms=1000";
                    break;
                case "missing bucket":
                    destination = TenantFixture.destination(s3, missing, prefix);
                    break;
                case "denies access":
                    destination = endpointed(s3.endpoint(), good, prefix, "not-the-secret");
                    break;
                case "answers 500":
                    destination = endpointed(failing, good, prefix, s3.secretKey());
                    break;
                default:
                    destination = TenantFixture.destination(s3, good, prefix);
            }
            jobs.add(
                    String.format(
                            Locale.ROOT,
                            "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                                    + " \"destination_conf\": \"%s\", \"output_options\":"
                                    + " {\"field_names\": [\"timestamp\", \"RecordId\","
                                    + " \"Customer\"]}, \"max_upload_records\": %d}",
                            id,
                            customer,
                            destination,
                            TenantFixture.MAX_UPLOAD_RECORDS));
        }
        return "{\"version\": 1, \"jobs\": [" + String.join(",", jobs) + "]}";
    }

    private static String endpointed(URI endpoint, String bucket, String prefix, String secret) {
        return String.format(
                Locale.ROOT,
                "s3://%s/%s?endpoint=%s&access-key-id=%s&secret-access-key=%s",
                bucket,
                prefix,
                endpoint,
                s3.accessKey(),
                secret);
    }
}
