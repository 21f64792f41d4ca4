package dev.sluice.tests;

import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;

import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poison on both topics never fails a task: tombstones, empty and non-UTF-8 values, garbage and an
 * oversize record on a compacted config topic, tombstones, empty values and random bytes on the
 * logs topic. The config plane still takes the next good update, the good records are delivered
 * exactly once, the bad ones are dead-lettered with their reason, and the job runs with no restart
 * strategy at all, so a single task failure would fail the test.
 */
class PoisonRecordsITCase extends ServersTestBase {

    private static final String NAME = "poison";
    private static final String BUCKET = "poison";
    private static final int GOOD_RECORDS = 200;
    private static final int MAX_UPDATE_BYTES = 4096;

    @Test
    void poisonOnEitherTopicIsRejectedAndEveryoneElseFlows() throws Exception {
        s3.createBucket(BUCKET);
        JobClient job =
                startWithoutRestarts(
                        NAME,
                        "{\"version\": 1, \"jobs\": [" + job(1, "alpha") + "]}",
                        conf ->
                                conf.set(
                                        SluiceOptions.CONFIG_MAX_UPDATE_BYTES,
                                        MemorySize.parse(MAX_UPDATE_BYTES + "b")));

        int poisonLogs = publishPoison();
        send(NAME + "-config", "job/2", "{\"version\": 2, \"upsert\": " + job(2, "gamma") + "}");
        int probes = probeUntilRouted(job);
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs", "alpha", "", GOOD_RECORDS);
        RoutedCounts.await(job, routed -> routed.getOrDefault("1", 0L) >= GOOD_RECORDS);
        Map<String, Long> routed = RoutedCounts.afterDrain(job, dir.resolve("poison-savepoint"));

        List<DeliveredObject> objects = new BucketReader(s3Client, BUCKET).readNew();
        assertThat(DeliveredRecords.ids(objects, 1))
                .hasSize(GOOD_RECORDS)
                .doesNotHaveDuplicates()
                .allMatch(id -> id.startsWith("alpha:"));
        // A probe that reached a router before the upsert did was unconfigured there: the ones
        // routed to the new job, at least one, are delivered, once each.
        assertThat(routed.get("2")).isBetween(1L, (long) probes);
        assertThat(DeliveredRecords.ids(objects, 2))
                .hasSize((int) (long) routed.get("2"))
                .doesNotHaveDuplicates();
        // Read for the whole while: a record dead-lettered twice would show.
        List<String> reasons =
                DeadLetterTopic.reasons(
                        kafka.bootstrapServers(),
                        NAME + "-dlq",
                        Integer.MAX_VALUE,
                        Duration.ofSeconds(10));
        assertThat(reasons).hasSize(poisonLogs);
        assertThat(reasons).filteredOn("empty value"::equals).hasSize(2);
    }

    private static String job(long id, String customer) {
        return String.format(
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                        + " \"destination_conf\": \"%s\","
                        + " \"output_options\": {\"field_names\": [\"RecordId\"]}}",
                id, customer, TenantFixture.destination(s3, BUCKET, customer));
    }

    /** Bad records on both topics; returns how many went to the logs topic. */
    private static int publishPoison() {
        Random random = new Random(42);
        byte[] notUtf8 = {(byte) 0xc3, (byte) 0x28, (byte) 0xff, '{'};
        String config = NAME + "-config";
        send(config, "job/1", (byte[]) null);
        send(config, "job/1", new byte[0]);
        send(config, "snapshot", notUtf8);
        send(config, "snapshot", "{\"version\": ");
        send(config, "snapshot", "[1, 2, 3]");
        send(config, "snapshot", "{\"version\": 9, \"jobs\": " + "[".repeat(5000));
        send(
                config,
                "snapshot",
                "{\"version\": 9, \"jobs\": [], \"x\": \"" + "y".repeat(MAX_UPDATE_BYTES) + "\"}");
        String logs = NAME + "-logs";
        List<byte[]> values = new ArrayList<>();
        values.add(null);
        values.add(new byte[0]);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + random.nextInt(63)];
            random.nextBytes(junk);
            values.add(junk);
        }
        values.forEach(v -> send(logs, null, v));
        return values.size();
    }

    /** Sends gamma records until the router routes one: the upsert is then in force. */
    private static int probeUntilRouted(JobClient job) throws Exception {
        int probes = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (RoutedCounts.of(job).getOrDefault("2", 0L) == 0) {
            assertThat(System.currentTimeMillis()).as("the upsert took").isLessThan(deadline);
            TenantFixture.produce(
                    kafka.bootstrapServers(), NAME + "-logs", "gamma", "probe-" + probes + "-", 1);
            probes++;
            Thread.sleep(200);
        }
        return probes;
    }

    private static void send(String topic, String key, String value) {
        send(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(String topic, String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer =
                TenantFixture.producer(kafka.bootstrapServers())) {
            byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(topic, k, value));
            producer.flush();
        }
    }
}
