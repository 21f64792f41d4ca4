package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State evolves compatibly: every committed savepoint of an older build ({@link SavepointFixture})
 * restores into this build, and the records it held buffered are delivered exactly once.
 */
class SavepointFixtureRestoreITCase extends ServersTestBase {

    private static final List<String> VERSIONS = SavepointFixture.VERSIONS;

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void restoresAndDeliversWhatTheFixtureHeldBuffered(String version) throws Exception {
        String bucket = SavepointFixture.BUCKET + "-" + version;
        s3.createBucket(bucket);
        createTopics(SavepointFixture.NAME);
        Configuration conf = jobConfiguration(SavepointFixture.NAME, false);
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, fixturePath(version));
        StreamExecutionEnvironment env = environment(conf);
        SluicePipeline.define(
                SluiceJob.logs(env, conf),
                SluiceJob.configUpdates(env, conf),
                restartConfig(bucket),
                SluiceOptions.guard(conf),
                // As the job runs: the jobs' status follows the sink, with state of its own that
                // the fixtures predate.
                SluiceJob.objectSink(conf),
                SluiceJob.deadLetterSink(conf));
        JobClient job = env.executeAsync("sluice-fixture-restore-" + version);
        drainOnceRunning(job, dir.resolve("after-" + version).toUri().toString());

        List<DeliveredObject> objects = new BucketReader(s3Client, bucket).readNew();
        for (long jobId : List.of(1L, 101L, 2L, 3L)) {
            String customer = TenantFixture.jobs().get(jobId);
            assertThat(DeliveredRecords.ids(objects, jobId))
                    .as("job %d", jobId)
                    .containsExactlyInAnyOrderElementsOf(expectedIds(customer));
        }
        assertThat(objects).extracting(DeliveredObject::jobId).containsOnly(1L, 101L, 2L, 3L);
    }

    /**
     * The fixture's jobs on this run's S3 server, as version 2: fixtures from v2 on store the
     * config they ran with (version 1), whose destinations name the server of the build that wrote
     * them. A start config of the same version would not replace them; a newer one does, as it
     * would when an operator moves a job's destination.
     */
    private String restartConfig(String bucket) {
        String config =
                TenantFixture.config(s3, bucket, id -> 0, SavepointFixture.INTERVAL_SECONDS);
        assertThat(config).startsWith("{\"version\": 1,");
        return config.replaceFirst("\"version\": 1,", "\"version\": 2,");
    }

    /** A stop with drain succeeds only once every task runs; until then it is refused. */
    private static void drainOnceRunning(JobClient job, String savepointDir) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                job.stopWithSavepoint(true, savepointDir, SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
                job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
                return;
            } catch (ExecutionException e) {
                assertThat(System.currentTimeMillis())
                        .as("stopped in time: %s", e)
                        .isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }

    private static String fixturePath(String version) {
        URL metadata =
                SavepointFixtureRestoreITCase.class.getResource(
                        "/" + SavepointFixture.resourceDir(version) + "/_metadata");
        assertThat(metadata).as("fixture %s on the test classpath", version).isNotNull();
        return Path.of(metadata.getPath()).getParent().toString();
    }

    private static List<String> expectedIds(String customer) {
        return IntStream.range(0, SavepointFixture.RECORDS_PER_CUSTOMER)
                .mapToObj(n -> customer + ":f" + n)
                .toList();
    }
}
