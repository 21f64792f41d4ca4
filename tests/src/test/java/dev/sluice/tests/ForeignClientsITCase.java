package dev.sluice.tests;

import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job fed by clients it was not written with: kcat (librdkafka) publishes a tombstone, garbage
 * and a misspelt upsert to the compacted config topic and then a good upsert, and garbage and null
 * values to the logs topic; a Python forwarder (confluent-kafka, the Avro library) writes LogEvents
 * in single-object encoding with non-ASCII text, floats, nulls and booleans. With no restart
 * strategy at all: every record of the Python forwarder is delivered once with its values intact,
 * the config in force survives the poison and takes the good upsert, and the garbage is
 * dead-lettered.
 */
class ForeignClientsITCase extends ServersTestBase {

    private static final String NAME = "foreign";
    private static final String BUCKET = "foreign";
    private static final int RECORDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void recordsAndConfigFromKcatAndAPythonForwarderAreTakenAndPoisonRejected() throws Exception {
        ForeignClients.require();
        s3.createBucket(BUCKET);
        JobClient job =
                startWithoutRestarts(
                        NAME, "{\"version\": 1, \"jobs\": [" + job(1, "alpha") + "]}", conf -> {});
        String bootstrap = kafka.bootstrapServers();

        ForeignClients.kcatProduce(
                bootstrap,
                NAME + "-config",
                List.of(
                        "job/1|",
                        "snapshot|not json at all",
                        "job/3|{\"version\": 2, \"upsert\": "
                                + job(3, "beta")
                                        .replace(
                                                "\"dataset\"",
                                                "\"max_upload_record\": 5, \"dataset\"")
                                + "}",
                        "job/2|{\"version\": 2, \"upsert\": " + job(2, "gamma") + "}"));
        List<String> garbage =
                List.of("", "hello", "{\"customer_id\": \"alpha\"}", "\u00c3\u0001short");
        // Keyed: kcat skips an empty line, but sends "key|" as a null value (-Z), a tombstone.
        ForeignClients.kcatProduce(
                bootstrap,
                NAME + "-logs",
                IntStream.range(0, garbage.size())
                        .mapToObj(i -> "g" + i + "|" + garbage.get(i))
                        .collect(Collectors.toList()));
        ForeignClients.pythonProduceLogEvents(bootstrap, NAME + "-logs", "alpha", RECORDS);
        ForeignClients.pythonProduceLogEvents(bootstrap, NAME + "-logs", "beta", 10);
        RoutedCounts.await(job, routed -> routed.getOrDefault("1", 0L) >= RECORDS);
        int probes = 0;
        while (RoutedCounts.of(job).getOrDefault("2", 0L) == 0) {
            assertThat(probes).as("the good upsert took").isLessThan(100);
            ForeignClients.pythonProduceLogEvents(bootstrap, NAME + "-logs", "gamma", 1);
            probes++;
            Thread.sleep(300);
        }
        Map<String, Long> routed = RoutedCounts.afterDrain(job, dir.resolve("foreign-savepoint"));

        List<DeliveredObject> objects = new BucketReader(s3Client, BUCKET).readNew();
        assertThat(DeliveredRecords.ids(objects, 1))
                .as("every record of the Python forwarder, once")
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, RECORDS)
                                .mapToObj(n -> "alpha:" + n)
                                .collect(Collectors.toList()));
        JsonNode first = null;
        for (DeliveredObject o : objects) {
            for (String line : o.lines()) {
                JsonNode record = JSON.readTree(line);
                if (o.jobId() == 1 && record.get("RecordId").asText().equals("alpha:0")) {
                    first = record;
                }
            }
        }
        assertThat(first).as("alpha:0 delivered").isNotNull();
        assertThat(first.get("ClientRequestPath").asText())
                .isEqualTo("/caf\u00e9/\u65e5\u672c/\uD83D\uDE00");
        assertThat(first.get("OriginResponseTime").asDouble()).isEqualTo(0.25);
        assertThat(first.get("WAFAction").isNull()).isTrue();
        // What the writer chose is delivered: Python Avro 1.11 writes a value into the last union
        // branch it fits, so True goes as the double 1.0 (decoded as written, not guessed back).
        assertThat(first.get("CacheHit").isDouble()).as(first.toString()).isTrue();
        assertThat(first.get("CacheHit").asDouble()).isEqualTo(1.0);
        assertThat(routed).as("the misspelt upsert was refused").doesNotContainKey("3");
        assertThat(DeliveredRecords.ids(objects, 2)).hasSize((int) (long) routed.get("2"));

        List<String> reasons =
                DeadLetterTopic.reasons(
                        bootstrap, NAME + "-dlq", Integer.MAX_VALUE, Duration.ofSeconds(10));
        assertThat(reasons).as("kcat's garbage, each dead-lettered once").hasSize(garbage.size());
        assertThat(reasons).contains("empty value");
    }

    private static String job(long id, String customer) {
        return String.format(
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                        + " \"destination_conf\": \"%s\", \"output_options\": {\"field_names\":"
                        + " [\"RecordId\", \"Customer\", \"ClientRequestPath\","
                        + " \"OriginResponseTime\", \"WAFAction\", \"CacheHit\"]}}",
                id, customer, TenantFixture.destination(s3, BUCKET, customer));
    }
}
