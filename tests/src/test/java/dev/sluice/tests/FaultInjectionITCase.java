package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.local.FaultProxy;
import dev.sluice.local.FaultProxy.Action;
import dev.sluice.local.FaultProxy.Kind;
import dev.sluice.sink.ObjectSink;
import dev.sluice.sink.SinkSettings;
import dev.sluice.tools.RedriveCommand;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once with the store failing at each step of an object's way: while its part is uploaded,
 * between the checkpoint and the commit, during the commit, and after the commit but before its
 * acknowledgement reaches the committer. The sink talks to the S3 server through a {@link
 * FaultProxy}; every run reads the bucket back and checks each job's records once, whole objects,
 * no multipart upload left behind, and that the fault really happened. The staged path (multipart
 * uploads) and the whole-object path (the committable carries the bytes, one PUT at the commit)
 * each meet their faults.
 */
class FaultInjectionITCase extends ServersTestBase {

    private static final JobMetrics METRICS = new JobMetrics();

    /** This class's cluster (registered after the base's): its metrics stay readable. */
    @RegisterExtension
    static final MiniClusterExtension REPORTING = METRICS.cluster(new Configuration());

    private static final Pattern UPLOAD_ID = Pattern.compile("[?&]uploadId=([^& ]+)");

    /** Every batch staged as a multipart upload, as large batches are. */
    private static final SinkSettings STAGED = SinkSettings.none().withWholeObjectMaxBytes(0);

    /** The defaults: the fixture's batches are one chunk each, so all go whole. */
    private static final SinkSettings WHOLE = SinkSettings.none();

    @AfterEach
    void disarm() {
        FailAfterCheckpoint.arm(null, null);
    }

    /**
     * Every attempt of the first part upload fails, so the SDK gives up, the task fails (no park
     * destination) and the job restarts; the batch is staged again under a new upload and the
     * failed one does not survive.
     */
    @Test
    void partUploadFailsBeyondTheClientsRetries() throws Exception {
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort())) {
            proxy.failEveryAttemptOfNext(Kind.UPLOAD_PART);

            Run run = run("fault-part", proxy, STAGED);

            assertThat(proxy.count(Kind.UPLOAD_PART, Action.FAIL))
                    .as("the part upload was retried, then given up: %s", proxy.events())
                    .isGreaterThanOrEqualTo(2);
            assertThat(run.restarts).as("the task failed once and the job restarted").isEqualTo(1);
            assertThat(uploadIds(proxy.answeredRequests(Kind.ABORT_UPLOAD, 204)))
                    .as("the failed upload was aborted")
                    .containsAll(uploadIds(proxy.events()));
            run.assertExactlyOnce();
        }
    }

    /**
     * The job fails right after a checkpoint that holds staged objects completes, before any of
     * them is committed: the proxy refuses commits until the job is back, so the race with the
     * committer always goes this way. The same uploads, restored from that checkpoint, are
     * completed after the restart, each once.
     */
    @Test
    void failureAfterTheCheckpointBeforeTheCommit() throws Exception {
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort())) {
            FailAfterCheckpoint.arm(proxy, Kind.COMPLETE_UPLOAD);
            proxy.failWhile(Kind.COMPLETE_UPLOAD, FailAfterCheckpoint::holdingCommits);

            Run run = run("fault-checkpoint", proxy, STAGED);

            assertThat(FailAfterCheckpoint.FAILED).as("the injected failure happened").isTrue();
            assertThat(FailAfterCheckpoint.REFUSED_COMMITS.get())
                    .as("a completed checkpoint's commit was pending when the job failed")
                    .isPositive();
            assertThat(FailAfterCheckpoint.COMMITS_BEFORE_FAILURE.get())
                    .as("no commit reached the store before the failure")
                    .isZero();
            assertThat(FailAfterCheckpoint.RESTORED).as("the job came back").isTrue();
            assertThat(run.restarts).isEqualTo(1);
            Set<String> pendingAtFailure = uploadIds(proxy.events());
            assertThat(pendingAtFailure).isNotEmpty();
            assertThat(uploadIds(proxy.answeredRequests(Kind.COMPLETE_UPLOAD, 200)))
                    .as("the restored uploads were completed after the restart")
                    .containsAll(pendingAtFailure);
            assertThat(proxy.answered(Kind.COMPLETE_UPLOAD, 200))
                    .as("each object completed once: %s", proxy.summary())
                    .isEqualTo(run.objects.size());
            run.assertExactlyOnce();
        }
    }

    /**
     * The first commit is answered 500 more often than the client retries one request (commits run
     * in parallel, so the failures are pinned to that one request): the committer has Flink retry
     * the commit, which goes through, and the job never restarts.
     */
    @Test
    void commitFailsAndIsRetriedLater() throws Exception {
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort())) {
            proxy.failAttemptsOfNext(Kind.COMPLETE_UPLOAD, 5);

            Run run = run("fault-commit", proxy, STAGED);

            assertThat(proxy.count(Kind.COMPLETE_UPLOAD, Action.FAIL)).isEqualTo(5);
            assertThat(run.counter("commitRetries"))
                    .as("a commit failed after the client's retries and was retried later")
                    .isPositive();
            assertThat(run.counter("retriedCommittables")).isPositive();
            assertThat(uploadIds(proxy.answeredRequests(Kind.COMPLETE_UPLOAD, 200)))
                    .as("the refused commits went through later")
                    .containsAll(uploadIds(proxy.events()));
            assertThat(run.restarts).isZero();
            run.assertExactlyOnce();
        }
    }

    /**
     * A destination that takes every part but refuses every completion is one job's failure, not
     * the task's: after the committer's retries each staged object is parked by reference (a record
     * in the park store; the parts stay staged), the job never restarts, and once the destination
     * works {@code bin/sluice redrive} completes every upload, each record once.
     */
    @Test
    void commitsRefusedForGoodAreParkedByReferenceAndRedriven() throws Exception {
        String parkBucket = "fault-stranded-parked";
        s3.createBucket(parkBucket);
        String park = TenantFixture.destination(s3, parkBucket, "parked");
        AtomicBoolean refusing = new AtomicBoolean(true);
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort())) {
            proxy.failWhile(Kind.COMPLETE_UPLOAD, refusing::get);

            Run run = run("fault-stranded", proxy, STAGED.withPark(park));

            assertThat(run.restarts).as("one destination never fails the task").isZero();
            assertThat(run.objects).as("nothing completed while refused").isEmpty();
            long stranded = run.counter("strandedUploads");
            assertThat(stranded).isPositive().isEqualTo(run.pendingUploads.size());
            assertThat(
                            s3Client.listObjectsV2(
                                            r -> r.bucket(parkBucket).prefix("parked/_stranded/"))
                                    .keyCount())
                    .isEqualTo((int) stranded);

            refusing.set(false);
            for (Map.Entry<Long, String> job : TenantFixture.jobs().entrySet()) {
                String to =
                        jobDestination(
                                proxy.endpoint(), "fault-stranded", job.getKey(), job.getValue());
                int exit =
                        new CommandLine(new RedriveCommand())
                                .execute("--from", park, "--to", to, "--min-age=0");
                assertThat(exit).as("redrive of job %d", job.getKey()).isZero();
            }
            assertThat(s3Client.listObjectsV2(r -> r.bucket(parkBucket)).keyCount())
                    .as("every record redriven and deleted")
                    .isZero();
            List<DeliveredObject> objects = new BucketReader(s3Client, "fault-stranded").readNew();
            List<String> pending =
                    s3Client
                            .listMultipartUploads(r -> r.bucket("fault-stranded"))
                            .uploads()
                            .stream()
                            .map(u -> u.key() + " " + u.uploadId())
                            .toList();
            new Run(run.job, objects, pending).assertExactlyOnce();
        }
    }

    /**
     * A commit reaches the store but its answer is lost: the next attempt finds the upload gone
     * (404) and the object there with its staged length, so it counts as committed, once.
     */
    @Test
    void commitSucceedsButItsAnswerIsLost() throws Exception {
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort())) {
            proxy.dropResponseOfNext(Kind.COMPLETE_UPLOAD, 1);

            Run run = run("fault-ack", proxy, STAGED);

            assertThat(proxy.count(Kind.COMPLETE_UPLOAD, Action.DROP_RESPONSE)).isEqualTo(1);
            assertThat(uploadIds(proxy.answeredRequests(Kind.COMPLETE_UPLOAD, 404)))
                    .as("that commit was tried again and found done: %s", proxy.summary())
                    .isEqualTo(uploadIds(proxy.events()));
            assertThat(run.counter("alreadyCommittedCommittables"))
                    .as("Flink was told it was already committed")
                    .isPositive();
            assertThat(run.restarts).isZero();
            run.assertExactlyOnce();
        }
    }

    /**
     * Whole objects: the job fails right after a checkpoint holding them completes, before any is
     * written (the proxy refuses their PUTs until the job is back). Their bytes come back from that
     * checkpoint, and each is written once after the restart.
     */
    @Test
    void wholeObjectsFailureAfterTheCheckpointBeforeTheirWrite() throws Exception {
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort())) {
            FailAfterCheckpoint.arm(proxy, Kind.PUT_OBJECT);
            proxy.failWhile(Kind.PUT_OBJECT, FailAfterCheckpoint::holdingCommits);

            Run run = run("fault-whole-checkpoint", proxy, WHOLE);

            assertThat(FailAfterCheckpoint.FAILED).as("the injected failure happened").isTrue();
            assertThat(FailAfterCheckpoint.REFUSED_COMMITS.get())
                    .as("a completed checkpoint's whole objects were being written")
                    .isPositive();
            assertThat(FailAfterCheckpoint.COMMITS_BEFORE_FAILURE.get())
                    .as("none reached the store before the failure")
                    .isZero();
            assertThat(run.restarts).isEqualTo(1);
            assertThat(proxy.count(Kind.CREATE_UPLOAD, Action.FORWARD))
                    .as("nothing was staged: %s", proxy.summary())
                    .isZero();
            assertThat(proxy.answered(Kind.PUT_OBJECT, 200))
                    .as("each object written once, after the restart: %s", proxy.summary())
                    .isEqualTo(run.objects.size());
            run.assertExactlyOnce();
        }
    }

    /**
     * A whole object's write is answered 500 more often than the client retries: Flink retries the
     * commit, which writes the same bytes again, and the job never restarts.
     */
    @Test
    void wholeObjectWriteFailsAndIsRetriedLater() throws Exception {
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort())) {
            proxy.failAttemptsOfNext(Kind.PUT_OBJECT, 5);

            Run run = run("fault-whole-commit", proxy, WHOLE);

            assertThat(proxy.count(Kind.PUT_OBJECT, Action.FAIL)).isEqualTo(5);
            assertThat(run.counter("commitRetries"))
                    .as("a write failed after the client's retries and was retried later")
                    .isPositive();
            assertThat(run.counter("wholeObjects")).isEqualTo(run.objects.size());
            assertThat(proxy.answered(Kind.PUT_OBJECT, 200))
                    .as("each object written once: %s", proxy.summary())
                    .isEqualTo(run.objects.size());
            assertThat(run.restarts).isZero();
            run.assertExactlyOnce();
        }
    }

    /** One bounded run of the fixture's jobs, all of them writing through {@code proxy}. */
    private static Run run(String name, FaultProxy proxy, SinkSettings sink) throws Exception {
        String bucket = name;
        s3.createBucket(bucket);
        createTopics(name);
        TenantFixture.produce(kafka.bootstrapServers(), name + "-logs");

        Configuration conf = jobConfiguration(name, true);
        // Room for more restarts than a scenario expects: a surprise then shows in the restart
        // count and the bucket, not as a job that gave up.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        StreamExecutionEnvironment env = environment(conf);
        SluicePipeline.define(
                logsThrough(
                        env, conf, new FailAfterCheckpoint(), "Throttle / fail after checkpoint"),
                SluiceJob.configUpdates(env, conf),
                config(proxy.endpoint(), bucket),
                SluiceOptions.guard(conf),
                new ObjectSink(sink),
                SluiceJob.deadLetterSink(conf));
        long start = System.nanoTime();
        JobClient job = env.executeAsync("sluice-" + name);
        job.getJobExecutionResult().get(90, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        List<DeliveredObject> objects = new BucketReader(s3Client, bucket).readNew();
        List<String> pendingUploads =
                s3Client.listMultipartUploads(r -> r.bucket(bucket)).uploads().stream()
                        .map(u -> u.key() + " " + u.uploadId())
                        .toList();
        Run run = new Run(job.getJobID(), objects, pendingUploads);
        System.out.printf(
                Locale.ROOT,
                "%s: %d ms, %d objects, %d restarts, proxy %s, faults %s%n",
                name,
                millis,
                objects.size(),
                run.restarts,
                proxy.summary(),
                proxy.events());
        return run;
    }

    /** The fixture's jobs, their destinations on the proxy's endpoint. */
    private static String config(URI endpoint, String bucket) {
        List<String> jobs = new ArrayList<>();
        for (Map.Entry<Long, String> job : TenantFixture.jobs().entrySet()) {
            long id = job.getKey();
            String customer = job.getValue();
            jobs.add(
                    String.format(
                            Locale.ROOT,
                            "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                                    + " \"destination_conf\": \"%s\","
                                    + " \"output_options\": {\"field_names\": [\"timestamp\","
                                    + " \"RecordId\", \"Customer\"]}, \"max_upload_records\": %d}",
                            id,
                            customer,
                            jobDestination(endpoint, bucket, id, customer),
                            TenantFixture.MAX_UPLOAD_RECORDS));
        }
        return "{\"version\": 1, \"jobs\": [" + String.join(",", jobs) + "]}";
    }

    /** A fixture job's destination_conf, on {@code endpoint}. */
    private static String jobDestination(URI endpoint, String bucket, long id, String customer) {
        return String.format(
                Locale.ROOT,
                "s3://%s/%s/job-%d/{DATE}?endpoint=%s&access-key-id=%s&secret-access-key=%s",
                bucket,
                customer,
                id,
                endpoint,
                s3.accessKey(),
                s3.secretKey());
    }

    /** What a run left in the bucket, and its job's restarts. */
    private static final class Run {
        final JobID job;
        final List<DeliveredObject> objects;
        final List<String> pendingUploads;
        final long restarts;

        Run(JobID job, List<DeliveredObject> objects, List<String> pendingUploads) {
            this.job = job;
            this.objects = objects;
            this.pendingUploads = pendingUploads;
            this.restarts = METRICS.restarts(job);
        }

        /**
         * Each configured job's records once, in its own customer's objects, every object whole
         * (the reader decompresses them and fails on a truncated one), no uploads left.
         */
        void assertExactlyOnce() throws Exception {
            assertThat(pendingUploads).as("multipart uploads left behind").isEmpty();
            Map<Long, List<String>> ids = new HashMap<>();
            for (DeliveredObject o : objects) {
                String customer = TenantFixture.jobs().get(o.jobId());
                assertThat(customer).as("object %s is a configured job's", o.key()).isNotNull();
                assertThat(o.key()).startsWith(customer + "/job-" + o.jobId() + "/");
                ids.computeIfAbsent(o.jobId(), j -> new ArrayList<>())
                        .addAll(DeliveredRecords.ids(o, customer));
            }
            for (Map.Entry<Long, String> job : TenantFixture.jobs().entrySet()) {
                TenantFixture.assertEachRecordOnce(
                        job.getKey(), job.getValue(), ids.getOrDefault(job.getKey(), List.of()));
            }
        }

        /** The sum of a counter over the job's subtasks. */
        long counter(String name) {
            return METRICS.counter(job, name);
        }
    }

    /** The {@code uploadId}s of request lines. */
    private static Set<String> uploadIds(List<String> requestLines) {
        Set<String> ids = new HashSet<>();
        for (String line : requestLines) {
            Matcher m = UPLOAD_ID.matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    /**
     * Passes logs through slowly enough that checkpoints complete while batches are staged, and,
     * when armed, fails the task once, in {@code notifyCheckpointComplete} of the first checkpoint
     * that holds staged objects. That checkpoint is recognised by the committer's first attempt,
     * which only a completed checkpoint with committables starts, and which the proxy refuses until
     * the job is back (see {@link #holdingCommits}). Static state because the MiniCluster runs in
     * this JVM and the function is serialized.
     */
    static final class FailAfterCheckpoint
            implements MapFunction<byte[], byte[]>, CheckpointedFunction, CheckpointListener {

        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicBoolean RESTORED = new AtomicBoolean();
        static final AtomicInteger REFUSED_COMMITS = new AtomicInteger();
        static final AtomicInteger COMMITS_BEFORE_FAILURE = new AtomicInteger(-1);
        private static volatile FaultProxy armedWith;
        private static volatile Kind commitKind;

        private static final int RECORDS_PER_PAUSE = 10;

        /**
         * How long a checkpoint completed after parts were stored waits for the committer's first
         * attempt: its objects may all belong to the next checkpoint, which then gets its turn.
         */
        private static final long WAIT_FOR_COMMIT_MILLIS = 3_000;

        private long records;

        /**
         * Arms the failure with {@code proxy} in front of the store, whose requests of {@code
         * commit} are the commits; null disarms.
         */
        static void arm(FaultProxy proxy, Kind commit) {
            armedWith = proxy;
            commitKind = commit;
            FAILED.set(false);
            RESTORED.set(false);
            REFUSED_COMMITS.set(0);
            COMMITS_BEFORE_FAILURE.set(-1);
        }

        /** Whether commits are still to be refused: until the job restored after the failure. */
        static boolean holdingCommits() {
            return !RESTORED.get();
        }

        @Override
        public byte[] map(byte[] value) throws Exception {
            if (++records % RECORDS_PER_PAUSE == 0) {
                Thread.sleep(1);
            }
            return value;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
            if (armedWith != null && context.isRestored() && FAILED.get()) {
                RESTORED.set(true);
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            // No state: this function only needs to hear whether its task was restored.
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            FaultProxy proxy = armedWith;
            Kind commit = commitKind;
            if (proxy == null || FAILED.get() || nothingToWaitFor(proxy, commit)) {
                return;
            }
            long deadline = System.currentTimeMillis() + WAIT_FOR_COMMIT_MILLIS;
            while (proxy.count(commit, Action.FAIL) == 0
                    && System.currentTimeMillis() < deadline
                    && !FAILED.get()) {
                Thread.sleep(10);
            }
            int refused = proxy.count(commit, Action.FAIL);
            int forwarded = proxy.count(commit, Action.FORWARD);
            if (refused > 0 && FAILED.compareAndSet(false, true)) {
                REFUSED_COMMITS.set(refused);
                COMMITS_BEFORE_FAILURE.set(forwarded);
                throw new IllegalStateException(
                        "injected failure after checkpoint " + checkpointId + " completed");
            }
        }

        /**
         * Whether this checkpoint cannot be the one to fail after: staged objects show as stored
         * parts before any checkpoint holds them. Whole objects show nothing before their commit,
         * so after every checkpoint the commits are waited for. (Waiting for a refused write first,
         * without the wait here, does not work: the committer's task then blocks in its retries, no
         * further checkpoint completes, and this one is never told.)
         */
        private static boolean nothingToWaitFor(FaultProxy proxy, Kind commit) {
            return commit == Kind.COMPLETE_UPLOAD && proxy.answered(Kind.UPLOAD_PART, 200) == 0;
        }
    }
}
