package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.sink.ObjectSink;
import dev.sluice.sink.SinkSettings;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path for real: a Kafka broker and an S3 server on 127.0.0.1, the job on a MiniCluster
 * with checkpoints. Every object is read back through the S3 API and decompressed.
 */
class ExactlyOnceDeliveryITCase extends ServersTestBase {

    private static final String MANIFEST_BUCKET = "e2e-manifests";

    /**
     * The config topic also carries the incident's blank snapshot (newest version) and a stale one:
     * both must be rejected, so delivery is exactly what the start config says.
     */
    @Test
    void deliversEveryConfiguredRecordExactlyOnce() throws Exception {
        Delivery delivery = run("steady", false);

        delivery.assertExactlyOnce();
        assertThat(ThrottledFailOnceMap.FAILED).isFalse();
        assertThat(delivery.deadLetterReasons)
                .hasSize(3)
                .contains("empty value", "not Avro single-object encoding: bad header")
                .anySatisfy(r -> assertThat(r).startsWith("unknown schema fingerprint "));
    }

    @Test
    void deliversExactlyOnceAcrossARestartFromCheckpoint() throws Exception {
        Delivery delivery = run("failover", true);

        assertThat(ThrottledFailOnceMap.FAILED).as("the injected failure happened").isTrue();
        delivery.assertExactlyOnce();
        assertThat(new HashSet<>(delivery.deadLetterReasons)).hasSize(TenantFixture.GARBAGE.length);
    }

    private Delivery run(String name, boolean injectFailure) throws Exception {
        String bucket = "e2e-" + name;
        s3.createBucket(bucket);
        s3.createBucket(MANIFEST_BUCKET);
        createTopics(name);
        TenantFixture.produce(kafka.bootstrapServers(), name + "-logs");
        TenantFixture.publishRejectedConfigs(kafka.bootstrapServers(), name + "-config");

        Configuration conf = jobConfiguration(name, true);
        StreamExecutionEnvironment env = environment(conf);
        ThrottledFailOnceMap.arm(injectFailure);
        SluicePipeline.define(
                logsThrough(env, conf, new ThrottledFailOnceMap(), "Throttle / inject failure"),
                SluiceJob.configUpdates(env, conf),
                TenantFixture.config(s3, bucket),
                SluiceOptions.guard(conf),
                new ObjectSink(
                        SinkSettings.none()
                                .withManifests(
                                        TenantFixture.destination(s3, MANIFEST_BUCKET, name))),
                SluiceJob.deadLetterSink(conf));
        env.execute("sluice-e2e-" + name);

        List<DeliveredObject> objects = new BucketReader(s3Client, bucket).readNew();
        int pendingUploads = s3Client.listMultipartUploads(r -> r.bucket(bucket)).uploads().size();
        assertManifestsDescribeTheObjects(bucket, objects, name);
        return new Delivery(
                objects,
                pendingUploads,
                DeadLetterTopic.reasons(
                        kafka.bootstrapServers(),
                        name + "-dlq",
                        TenantFixture.GARBAGE.length,
                        Duration.ofSeconds(30)));
    }

    /**
     * One manifest per object, true to the bytes in the bucket (length, SHA-256, records), the same
     * counts in the object's user metadata, and a ledger that balances per job: its last batch's
     * records batched is what its objects hold, and nothing routed is left over.
     */
    private static void assertManifestsDescribeTheObjects(
            String bucket, List<DeliveredObject> objects, String run) throws Exception {
        Map<String, JsonNode> manifests = PublishedManifests.read(s3Client, MANIFEST_BUCKET, run);
        assertThat(manifests.keySet())
                .isEqualTo(objects.stream().map(DeliveredObject::key).collect(Collectors.toSet()));
        Map<Long, Long> delivered = new HashMap<>();
        Map<Long, JsonNode> lastBatch = new HashMap<>();
        for (DeliveredObject o : objects) {
            JsonNode m = manifests.get(o.key());
            byte[] body =
                    s3Client.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray();
            assertThat(m.get("object_bytes").asLong()).isEqualTo(body.length);
            assertThat(m.get("sha256").asText())
                    .isEqualTo(
                            HexFormat.of()
                                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
            assertThat(m.get("records").asLong()).isEqualTo(o.lines().size());
            Map<String, String> metadata =
                    s3Client.headObject(r -> r.bucket(bucket).key(o.key())).metadata();
            assertThat(metadata)
                    .containsEntry("sluice-records", Long.toString(o.lines().size()))
                    .containsEntry("sluice-seq", m.get("seq").asText())
                    .containsEntry("sluice-records-batched", m.get("records_batched").asText());
            delivered.merge(o.jobId(), (long) o.lines().size(), Long::sum);
            lastBatch.merge(
                    o.jobId(), m, (a, b) -> a.get("seq").asLong() > b.get("seq").asLong() ? a : b);
        }
        for (Map.Entry<Long, JsonNode> last : lastBatch.entrySet()) {
            JsonNode m = last.getValue();
            assertThat(m.get("records_batched").asLong())
                    .as("job %d: its last manifest counts every delivered record", last.getKey())
                    .isEqualTo(delivered.get(last.getKey()));
            assertThat(m.get("records_in").asLong())
                    .as("job %d: everything routed to it was batched", last.getKey())
                    .isEqualTo(m.get("records_batched").asLong());
        }
    }

    /** What a run left in the bucket and the DLQ. */
    private static final class Delivery {
        final List<DeliveredObject> objects;
        final int pendingUploads;
        final List<String> deadLetterReasons;

        Delivery(
                List<DeliveredObject> objects, int pendingUploads, List<String> deadLetterReasons) {
            this.objects = objects;
            this.pendingUploads = pendingUploads;
            this.deadLetterReasons = deadLetterReasons;
        }

        void assertExactlyOnce() throws Exception {
            assertThat(pendingUploads).as("multipart uploads left behind").isZero();
            Map<Long, String> jobs = TenantFixture.jobs();
            for (Map.Entry<Long, String> job : jobs.entrySet()) {
                TenantFixture.assertEachRecordOnce(
                        job.getKey(), job.getValue(), recordIdsOf(job.getKey(), job.getValue()));
            }
            Set<Long> jobsWithObjects =
                    objects.stream().map(DeliveredObject::jobId).collect(Collectors.toSet());
            assertThat(jobsWithObjects)
                    .as("no object for unconfigured customers")
                    .isEqualTo(jobs.keySet());
        }

        /** The record ids in a job's objects, checking that each line is its customer's. */
        private List<String> recordIdsOf(long jobId, String customer) throws Exception {
            List<String> ids = new ArrayList<>();
            for (DeliveredObject o : objects) {
                if (o.jobId() != jobId) {
                    continue;
                }
                assertThat(o.key()).startsWith(customer + "/job-" + jobId + "/20241114/");
                assertThat(o.lines().size())
                        .isLessThanOrEqualTo((int) TenantFixture.MAX_UPLOAD_RECORDS);
                ids.addAll(DeliveredRecords.ids(o, customer));
            }
            return ids;
        }
    }
}
