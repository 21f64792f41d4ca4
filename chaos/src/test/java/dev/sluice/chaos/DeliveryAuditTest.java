package dev.sluice.chaos;

import dev.sluice.local.EmbeddedS3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit against a real S3 server: a clean delivery passes, and each kind of damage (lost,
 * duplicated, mixed, truncated, left-over upload, ledger off, unconfigured) is found and fails its
 * check.
 */
class DeliveryAuditTest {

    private static final String BUCKET = "audit";
    private static final String PARK = "audit-parked";
    private static final Map<Long, String> JOBS = Map.of(1L, "c0001", 2L, "c0002");

    @TempDir Path dir;
    private EmbeddedS3 s3;
    private S3Client client;
    private SentLedger sent;

    @BeforeEach
    void start() {
        s3 = EmbeddedS3.start(0, dir, "key", "secret");
        s3.createBucket(BUCKET);
        s3.createBucket(PARK);
        client = s3.newClient();
        sent = new SentLedger();
        for (String customer : List.of("c0001", "c0002")) {
            for (int i = 0; i < 4; i++) {
                sent.acked(customer, sent.next(customer));
            }
        }
    }

    @AfterEach
    void stop() {
        client.close();
        s3.close();
    }

    @Test
    void aCleanDeliveryPassesEveryCheck() throws IOException {
        put(BUCKET, "c0001", 1, 0, List.of("c0001:0", "c0001:1"), 2);
        put(BUCKET, "c0001", 1, 1, List.of("c0001:2", "c0001:3"), 4);
        put(PARK, "parked/c0002", 2, 0, List.of("c0002:0", "c0002:1", "c0002:2", "c0002:3"), 4);

        DeliveryAudit.Result result = audit();

        assertThat(result.checks("all")).allMatch(Check::passed);
        assertThat(result.delivered()).isEqualTo(4);
        assertThat(result.parked()).isEqualTo(4);
        assertThat(result.parkedByJob()).containsEntry(2L, 4L);
    }

    @Test
    void findsLostDuplicatedAndMixedRecords() throws IOException {
        put(BUCKET, "c0001", 1, 0, List.of("c0001:0", "c0001:1", "c0002:0"), 3);
        put(BUCKET, "c0001", 1, 1, List.of("c0001:1", "c0001:2"), 5);
        put(BUCKET, "c0002", 2, 0, List.of("c0002:1", "c0002:2", "c0002:3"), 3);

        DeliveryAudit.Result result = audit();

        assertThat(result.lost()).as("c0001:3 and c0002:0 (in the wrong object)").isEqualTo(2);
        assertThat(result.duplicated()).isEqualTo(1);
        assertThat(result.crossTenant()).isEqualTo(1);
        assertThat(failed(result))
                .containsExactlyInAnyOrder(
                        "all records lost",
                        "all records duplicated",
                        "records in another customer's object");
    }

    @Test
    void findsTruncatedObjectsLeftOverUploadsAndAWrongLedger() throws IOException {
        put(BUCKET, "c0001", 1, 0, List.of("c0001:0", "c0001:1", "c0001:2", "c0001:3"), 7);
        byte[] whole = gzip(lines("c0002", List.of("c0002:0", "c0002:1", "c0002:2", "c0002:3")));
        putBytes(BUCKET, key("c0002", 2, 0), Arrays.copyOf(whole, whole.length - 9), 4, 0, 4);
        client.createMultipartUpload(r -> r.bucket(BUCKET).key(key("c0001", 1, 1)));

        DeliveryAudit.Result result = audit();

        assertThat(result.truncated()).isEqualTo(1);
        assertThat(result.staleUploads()).isEqualTo(1);
        assertThat(result.ledgerMismatches()).as("job 1 batched 7, found 4").isEqualTo(1);
        assertThat(failed(result))
                .contains(
                        "truncated or corrupt objects",
                        "stale multipart uploads",
                        "jobs whose object ledger disagrees with the bucket");
    }

    @Test
    void findsObjectsOfNoConfiguredJobAndObjectsShorterThanTheirMetadata() throws IOException {
        put(BUCKET, "c0001", 1, 0, List.of("c0001:0", "c0001:1", "c0001:2", "c0001:3"), 4);
        put(BUCKET, "c0002", 2, 0, List.of("c0002:0", "c0002:1", "c0002:2", "c0002:3"), 4);
        put(BUCKET, "u0001", 7, 0, List.of("u0001:0"), 1);
        putBytes(BUCKET, key("c0002", 2, 1), gzip(lines("c0002", List.of())), 3, 1, 4);

        DeliveryAudit.Result result = audit();

        assertThat(result.unexpected()).isEqualTo(1);
        assertThat(result.truncated()).as("0 lines, metadata says 3").isEqualTo(1);
    }

    private DeliveryAudit.Result audit() throws IOException {
        return new DeliveryAudit(client, sent, JOBS).run(BUCKET, PARK);
    }

    private static List<String> failed(DeliveryAudit.Result result) {
        return result.checks("all").stream().filter(c -> !c.passed()).map(Check::check).toList();
    }

    private void put(
            String bucket, String prefix, long job, long seq, List<String> ids, long batched)
            throws IOException {
        String customer = prefix.substring(prefix.lastIndexOf('/') + 1);
        putBytes(
                bucket,
                key(prefix, job, seq),
                gzip(lines(customer, ids)),
                ids.size(),
                seq,
                batched);
    }

    private void putBytes(
            String bucket, String key, byte[] body, long records, long seq, long batched) {
        client.putObject(
                r ->
                        r.bucket(bucket)
                                .key(key)
                                .metadata(
                                        Map.of(
                                                "sluice-records", Long.toString(records),
                                                "sluice-seq", Long.toString(seq),
                                                "sluice-records-batched", Long.toString(batched))),
                RequestBody.fromBytes(body));
    }

    private static String key(String prefix, long job, long seq) {
        return prefix
                + "/20261129/20261129T220000Z_20261129T220001Z_"
                + job
                + "-"
                + seq
                + ".log.gz";
    }

    /** NDJSON lines as a job writes them: each record's id, and the customer of the object. */
    private static String lines(String objectCustomer, List<String> ids) {
        StringBuilder text = new StringBuilder();
        for (String id : ids) {
            String customer = id.substring(0, id.indexOf(':'));
            text.append("{\"timestamp\":1,\"RecordId\":\"")
                    .append(id)
                    .append("\",\"Customer\":\"")
                    .append(customer)
                    .append("\"}\n");
        }
        return text.toString();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
