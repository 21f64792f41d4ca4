package dev.sluice.tests;

import dev.sluice.local.EmbeddedS3;
import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customers, their delivery jobs and their logs for end-to-end tests. Every record carries a unique
 * {@code RecordId} ({@code <customer>:<n>}) and its {@code Customer}, so a test can check
 * exactly-once delivery and that no record landed in another customer's object.
 */
final class TenantFixture {

    static final int CUSTOMERS = 10;
    static final int RECORDS_PER_CUSTOMER = 2_500;
    static final long MAX_UPLOAD_RECORDS = 1_000;

    /** Customers 9 and 10 have no job: their logs must be dropped. */
    static final int CONFIGURED = 8;

    /** Customer 1 also has a second job (fan-out) with this id. */
    static final long FAN_OUT_JOB = 101;

    static final String[] GARBAGE = {"", "not avro", "\u00c3\u0001truncated"};

    private TenantFixture() {}

    static String customer(int i) {
        return String.format(Locale.ROOT, "cust-%02d", i);
    }

    /** Job id → customer, for every job of the config. */
    static Map<Long, String> jobs() {
        Map<Long, String> jobs = new LinkedHashMap<>();
        for (int i = 1; i <= CONFIGURED; i++) {
            jobs.put((long) i, customer(i));
        }
        jobs.put(FAN_OUT_JOB, customer(1));
        return jobs;
    }

    /** A destination_conf on the test's S3 server: {@code s3://bucket/prefix} with its endpoint. */
    static String destination(EmbeddedS3 s3, String bucket, String prefix) {
        return String.format(
                Locale.ROOT,
                "s3://%s/%s?endpoint=%s&access-key-id=%s&secret-access-key=%s",
                bucket,
                prefix,
                s3.endpoint(),
                s3.accessKey(),
                s3.secretKey());
    }

    static String config(EmbeddedS3 s3, String bucket) {
        return config(s3, bucket, id -> MAX_UPLOAD_RECORDS, 0);
    }

    /**
     * The config with each job's {@code max_upload_records} chosen by job id and one {@code
     * max_upload_interval_seconds} for all (0 means the default, as in the config).
     */
    static String config(
            EmbeddedS3 s3,
            String bucket,
            LongUnaryOperator maxUploadRecords,
            int maxUploadIntervalSeconds) {
        List<String> entries = new ArrayList<>();
        for (Map.Entry<Long, String> job : jobs().entrySet()) {
            long id = job.getKey();
            long records = maxUploadRecords.applyAsLong(id);
            entries.add(job(id, job.getValue(), s3, bucket, records, maxUploadIntervalSeconds));
        }
        return "{\"version\": 1, \"jobs\": [" + String.join(",", entries) + "]}";
    }

    private static String job(
            long id,
            String customer,
            EmbeddedS3 s3,
            String bucket,
            long maxUploadRecords,
            int maxUploadIntervalSeconds) {
        return String.format(
                Locale.ROOT,
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                        + " \"destination_conf\": \"s3://%s/%s/job-%d/{DATE}?endpoint=%s"
                        + "&access-key-id=%s&secret-access-key=%s\", \"output_options\":"
                        + " {\"field_names\": [\"timestamp\", \"RecordId\", \"Customer\"]},"
                        + " \"max_upload_records\": %d, \"max_upload_interval_seconds\": %d}",
                id,
                customer,
                bucket,
                customer,
                id,
                s3.endpoint(),
                s3.accessKey(),
                s3.secretKey(),
                maxUploadRecords,
                maxUploadIntervalSeconds);
    }

    /** Produces every customer's records, interleaved, plus a few undecodable values. */
    static void produce(String bootstrapServers, String topic) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            for (int n = 0; n < RECORDS_PER_CUSTOMER; n++) {
                for (int c = 1; c <= CUSTOMERS; c++) {
                    producer.send(new ProducerRecord<>(topic, null, value(customer(c), n)));
                }
            }
            for (String garbage : GARBAGE) {
                producer.send(
                        new ProducerRecord<>(
                                topic, null, garbage.getBytes(StandardCharsets.ISO_8859_1)));
            }
            producer.flush();
        }
    }

    /**
     * Asserts that job {@code jobId} delivered every record {@link #produce(String, String)} made
     * for its {@code customer}, each once.
     */
    static void assertEachRecordOnce(long jobId, String customer, List<String> delivered) {
        assertThat(delivered)
                .as("job %d delivered each record once", jobId)
                .doesNotHaveDuplicates();
        assertThat(new HashSet<>(delivered))
                .as("job %d delivered all records", jobId)
                .isEqualTo(producedIds(customer));
    }

    private static Set<String> producedIds(String customer) {
        return IntStream.range(0, RECORDS_PER_CUSTOMER)
                .mapToObj(n -> customer + ":" + n)
                .collect(Collectors.toSet());
    }

    /** Publishes a blank snapshot with a newer version and an older valid one: both must lose. */
    static void publishRejectedConfigs(String bootstrapServers, String topic) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            String blank = "{\"version\": 99, \"jobs\": []}";
            String stale =
                    "{\"version\": 0, \"jobs\": [{\"id\": 900, \"customer_id\": \""
                            + customer(CUSTOMERS)
                            + "\", \"dataset\": \"http_requests\","
                            + " \"destination_conf\": \"s3://stale-bucket/x\"}]}";
            for (String snapshot : List.of(blank, stale)) {
                producer.send(
                        new ProducerRecord<>(
                                topic, null, snapshot.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Produces {@code count} records of one customer, ids {@code <customer>:<tag><n>}. */
    static void produce(
            String bootstrapServers, String topic, String customer, String tag, int count) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            for (int n = 0; n < count; n++) {
                producer.send(new ProducerRecord<>(topic, null, value(customer, tag + n, n)));
            }
            producer.flush();
        }
    }

    /** Publishes one config update (snapshot or delta) to the config topic. */
    static void publishConfig(String bootstrapServers, String topic, String json) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            producer.send(new ProducerRecord<>(topic, null, json.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private static byte[] value(String customer, int n) {
        return value(customer, String.valueOf(n), n);
    }

    static byte[] value(String customer, String id, int n) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("RecordId", customer + ":" + id);
        fields.put("Customer", customer);
        fields.put("EdgeResponseStatus", 200L);
        return SingleObjectEncoding.toBytes(
                LogEvent.newBuilder()
                        .setCustomerId(customer)
                        .setDataset("http_requests")
                        .setTimestampMicros(1_731_579_300_000_000L + n * 1_000L)
                        .setFields(fields)
                        .build());
    }

    /** A producer that waits for the broker to acknowledge every record. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
