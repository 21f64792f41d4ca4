package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.sink.ObjectSink;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No customer's secret at rest: one job names a credential held as files, another writes its keys
 * inline in the start config (allowed). Both deliver; then every file the run left outside the
 * object store — Kafka's logs (config, logs, dead-letter topics), checkpoints while running, the
 * savepoint of the stop — is searched for the secret and the key id: neither is found.
 */
class SecretsAtRestITCase extends ServersTestBase {

    private static final String NAME = "secrets";
    private static final String BUCKET = "secrets";
    private static final int RECORDS = 200;

    @TempDir Path credentials;

    private CredentialsDirectory directory;

    @AfterEach
    void restoreDirectory() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void neitherAReferencedNorAnInlineSecretIsInKafkaCheckpointsOrSavepoints() throws Exception {
        CredentialsDirectory.write(credentials, "store", s3.accessKey(), s3.secretKey());
        directory = CredentialsDirectory.use(credentials);
        s3.createBucket(BUCKET);
        createTopics(NAME);
        Path checkpoints = dir.resolve("secrets-checkpoints");
        Configuration conf = jobConfiguration(NAME, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        StreamExecutionEnvironment env = environment(conf);
        SluicePipeline.define(
                SluiceJob.logs(env, conf),
                SluiceJob.configUpdates(env, conf),
                "{\"version\": 1, \"jobs\": ["
                        + job(1, "alpha", "credentials=store")
                        + ","
                        + job(
                                2,
                                "beta",
                                "access-key-id="
                                        + s3.accessKey()
                                        + "&secret-access-key="
                                        + s3.secretKey())
                        + "]}",
                SluiceOptions.guard(conf),
                new ObjectSink(),
                SluiceJob.deadLetterSink(conf));
        JobClient job = env.executeAsync("sluice-" + NAME);
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs", "alpha", "", RECORDS);
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs", "beta", "", RECORDS);
        RoutedCounts.await(
                job,
                routed ->
                        routed.getOrDefault("1", 0L) >= RECORDS
                                && routed.getOrDefault("2", 0L) >= RECORDS);
        SecretScan.awaitCheckpoint(checkpoints);
        assertThat(filesHolding(dir)).as("while running").isEmpty();

        RoutedCounts.afterDrain(job, dir.resolve("secrets-savepoint"));

        List<DeliveredObject> objects = new BucketReader(s3Client, BUCKET).readNew();
        assertThat(DeliveredRecords.ids(objects, 1)).as("by reference").hasSize(RECORDS);
        assertThat(DeliveredRecords.ids(objects, 2)).as("inline").hasSize(RECORDS);
        assertThat(Files.list(dir.resolve("secrets-savepoint"))).isNotEmpty();
        assertThat(filesHolding(dir)).as("after the savepoint").isEmpty();
    }

    private static String job(long id, String customer, String credentials) {
        return String.format(
                Locale.ROOT,
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                        + " \"destination_conf\": \"s3://%s/%s?endpoint=%s&%s\","
                        + " \"output_options\": {\"field_names\": [\"RecordId\"]}}",
                id,
                customer,
                BUCKET,
                customer,
                s3.endpoint(),
                credentials);
    }

    /** Files under {@code root}, outside the object store, holding the secret or the key id. */
    private static List<Path> filesHolding(Path root) throws IOException {
        return SecretScan.filesHolding(root, root.resolve("s3"), s3.secretKey(), s3.accessKey());
    }
}
