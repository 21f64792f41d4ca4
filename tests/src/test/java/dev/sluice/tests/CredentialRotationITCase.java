package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.sink.ObjectSink;
import dev.sluice.sink.SinkSettings;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A credential rotated while the job runs: the job's credential file first holds a key the store
 * refuses, so its batches are parked; the file is rewritten with the right key, and the job's next
 * batches are delivered with it — no restart, nothing lost, the parked ones waiting for redrive.
 */
class CredentialRotationITCase extends ServersTestBase {

    private static final String NAME = "rotation";
    private static final String BUCKET = "rotation";
    private static final String PARKED = "rotation-parked";
    private static final int RECORDS = 1_000;

    @TempDir Path credentials;

    private CredentialsDirectory directory;

    @AfterEach
    void restoreDirectory() {
        if (directory != null) {
            directory.close();
        }
    }

    private void writeCredential(String name, String secret, long modifiedMillis) throws Exception {
        Path dir = CredentialsDirectory.write(credentials, name, s3.accessKey(), secret);
        for (String file : List.of("access-key-id", "secret-access-key")) {
            Files.setLastModifiedTime(dir.resolve(file), FileTime.fromMillis(modifiedMillis));
        }
    }

    @Test
    void aRotatedCredentialFileIsTakenWhileTheJobRuns() throws Exception {
        writeCredential("ops", s3.secretKey(), 1_000);
        writeCredential("acme", "revoked-secret", 1_000);
        directory = CredentialsDirectory.use(credentials);
        s3.createBucket(BUCKET);
        s3.createBucket(PARKED);
        createTopics(NAME);
        Configuration conf = jobConfiguration(NAME, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = environment(conf);
        SluicePipeline.define(
                SluiceJob.logs(env, conf),
                SluiceJob.configUpdates(env, conf),
                "{\"version\": 1, \"jobs\": [" + job() + "]}",
                SluiceOptions.guard(conf),
                // A short cooldown: the rotated key is tried at the job's next batch.
                new ObjectSink(
                        new SinkSettings("", destination(PARKED, "parked", "ops"), 500, 1_000)),
                SluiceJob.deadLetterSink(conf));
        JobClient job = env.executeAsync("sluice-" + NAME);

        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs", "acme", "before-", RECORDS);
        BucketReader parked = new BucketReader(s3Client, PARKED);
        List<String> parkedIds = awaitIds(parked, RECORDS);
        assertThat(parkedIds).allMatch(id -> id.startsWith("acme:before-"));

        writeCredential("acme", s3.secretKey(), System.currentTimeMillis() + 60_000);
        Thread.sleep(1_500); // past the cooldown and the files' once-a-second look
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs", "acme", "after-", RECORDS);
        List<String> delivered = awaitIds(new BucketReader(s3Client, BUCKET), RECORDS);
        job.cancel().get();

        assertThat(delivered).hasSize(RECORDS).allMatch(id -> id.startsWith("acme:after-"));
        assertThat(parked.readNew()).as("nothing parked after the rotation").isEmpty();
    }

    /** The ids read from {@code bucket} once at least {@code count} arrived. */
    private static List<String> awaitIds(BucketReader bucket, int count) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        long deadline = System.currentTimeMillis() + 90_000;
        while (ids.size() < count) {
            assertThat(System.currentTimeMillis()).as("%d records", count).isLessThan(deadline);
            for (DeliveredObject o : bucket.readNew()) {
                ids.addAll(DeliveredRecords.ids(o, null));
            }
            Thread.sleep(200);
        }
        return ids;
    }

    private static String job() {
        return String.format(
                Locale.ROOT,
                "{\"id\": 1, \"customer_id\": \"acme\", \"dataset\": \"http_requests\","
                        + " \"destination_conf\": \"%s\","
                        + " \"output_options\": {\"field_names\": [\"RecordId\"]},"
                        + " \"max_upload_records\": 1000}",
                destination(BUCKET, "acme", "acme"));
    }

    private static String destination(String bucket, String prefix, String credential) {
        return String.format(
                Locale.ROOT,
                "s3://%s/%s?endpoint=%s&credentials=%s",
                bucket,
                prefix,
                s3.endpoint(),
                credential);
    }
}
