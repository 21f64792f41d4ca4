package dev.sluice.tests;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.Parking;
import dev.sluice.tools.RedriveCommand;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code bin/sluice redrive} against a real S3 API server on 127.0.0.1: batches parked as the sink
 * parks them go back to their original keys whole, with their metadata, exactly once.
 */
class RedriveCommandITCase extends ServersTestBase {

    private static final long T = 1_731_579_300_000_000L;
    private static final String PARK_PREFIX = "parked";

    /** A batch as the sink parked it. */
    private record Parked(
            String parkBucket,
            String parkedKey,
            String key,
            byte[] body,
            Map<String, String> meta) {}

    /** What a run printed and returned. */
    private record Run(int status, String out, String err) {

        String all() {
            return out + err;
        }
    }

    /**
     * A park destination in bucket {@code rd-park-<name>} and a target under {@code prefix} in
     * bucket {@code rd-logs-<name>}.
     */
    private record Buckets(String logs, String park, String to) {

        /** Creates both buckets; the park's prefix is {@value #PARK_PREFIX}. */
        static Buckets create(String name, String prefix) {
            return create(name, PARK_PREFIX, prefix);
        }

        static Buckets create(String name, String parkPrefix, String prefix) {
            s3.createBucket("rd-park-" + name);
            s3.createBucket("rd-logs-" + name);
            return new Buckets(
                    "rd-logs-" + name,
                    destination("rd-park-" + name, parkPrefix),
                    destination("rd-logs-" + name, prefix));
        }

        /** Parks a batch of {@code job} bound for {@link #to}. */
        Parked park(long job, long seq, byte[] body, long records) {
            return RedriveCommandITCase.park(park, to, to, job, seq, body, records);
        }

        /** Asserts {@code p} is at its key in the logs bucket, whole, and gone from the park. */
        void assertMoved(Parked p) {
            assertDelivered(logs, p);
            assertGone(p);
        }
    }

    private static String destination(String bucket, String prefix) {
        return TenantFixture.destination(s3, bucket, prefix);
    }

    private static String[] withMinAgeZero(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--min-age=0";
        return all;
    }

    private static Run redrive(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RedriveCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        // The batches here were parked seconds ago.
        int status = cli.execute(withMinAgeZero(args));
        Run run = new Run(status, out.toString(), err.toString());
        assertThat(run.all())
                .as("credentials never printed")
                .doesNotContain(s3.secretKey())
                .doesNotContain("access-key-id=" + s3.accessKey());
        return run;
    }

    /**
     * Parks a batch of {@code job} for {@code parkedFor} as the sink does, bound for {@code to}.
     */
    private static Parked park(
            String park,
            String to,
            String parkedFor,
            long job,
            long seq,
            byte[] body,
            long records) {
        String key = ObjectKeys.keyFor(Destination.parse(to), job, seq, T, T + 60_000_000L);
        String parkedKey = Parking.parkedKey(Destination.parse(park), key);
        String parkBucket = Destination.parse(park).bucket();
        Map<String, String> batch = batchMetadata(job, seq, records, body.length);
        Map<String, String> meta =
                Parking.metadata(
                        batch,
                        parkedFor,
                        "completing s3://" + key + " failed: 503 Service Unavailable\r\n");
        s3Client.putObject(
                r ->
                        r.bucket(parkBucket)
                                .key(parkedKey)
                                .contentType("application/gzip")
                                .metadata(meta),
                RequestBody.fromBytes(body));
        return new Parked(parkBucket, parkedKey, key, body, batch);
    }

    /** The user metadata the sink gives a batch. */
    private static Map<String, String> batchMetadata(long job, long seq, long records, long len) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sluice-job-id", Long.toString(job));
        m.put("sluice-seq", Long.toString(seq));
        m.put("sluice-records", Long.toString(records));
        m.put("sluice-uncompressed-bytes", Long.toString(len * 4));
        m.put("sluice-first-event-micros", Long.toString(T));
        m.put("sluice-last-event-micros", Long.toString(T + 60_000_000L));
        m.put("sluice-compression", "gzip");
        m.put("sluice-flush-reason", "records");
        m.put("sluice-records-in", Long.toString(records));
        m.put("sluice-records-filtered", "0");
        m.put("sluice-records-sampled-out", "0");
        m.put("sluice-records-batched", Long.toString(records));
        return m;
    }

    /** {@code records} NDJSON lines, gzipped; {@code padding} random bytes per line. */
    private static byte[] gzipLines(int records, int padding, long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < records; i++) {
                byte[] noise = new byte[padding];
                random.nextBytes(noise);
                String line =
                        "{\"RecordId\":\"r"
                                + seed
                                + ":"
                                + i
                                + "\",\"Pad\":\""
                                + Base64.getEncoder().encodeToString(noise)
                                + "\"}\n";
                gzip.write(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    /** Keys of objects under {@code prefix}, without S3Proxy's multipart bookkeeping. */
    private static List<String> keys(String bucket, String prefix) {
        return s3Client
                .listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                .contents()
                .stream()
                .map(S3Object::key)
                .filter(k -> !k.contains(".mpus-"))
                .sorted()
                .toList();
    }

    /** Key to bytes of every object under {@code prefix}. */
    private static Map<String, byte[]> contents(String bucket, String prefix) {
        Map<String, byte[]> contents = new TreeMap<>();
        for (String key : keys(bucket, prefix)) {
            contents.put(
                    key, s3Client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
        }
        return contents;
    }

    private static void assertDelivered(String bucket, Parked p) {
        byte[] body = s3Client.getObjectAsBytes(r -> r.bucket(bucket).key(p.key())).asByteArray();
        assertThat(body).as(p.key()).isEqualTo(p.body());
        HeadObjectResponse head = s3Client.headObject(r -> r.bucket(bucket).key(p.key()));
        assertThat(head.metadata()).as(p.key()).isEqualTo(p.meta());
        assertThat(head.contentType()).isEqualTo("application/gzip");
    }

    private static void assertStillParked(Parked p) {
        assertThat(s3Client.headObject(r -> r.bucket(p.parkBucket()).key(p.parkedKey())))
                .isNotNull();
    }

    private static void assertGone(Parked p) {
        assertThatThrownBy(
                        () -> s3Client.headObject(r -> r.bucket(p.parkBucket()).key(p.parkedKey())))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void movesParkedBatchesBackWholeWithTheirMetadataOnceOnly() throws Exception {
        Buckets b = Buckets.create("whole", "cust-01/job-1/{DATE}");
        // Larger than one 8 MiB part: goes back as a multipart upload.
        byte[] large = gzipLines(70_000, 150, 3);
        assertThat(large.length).isGreaterThan(9 * 1024 * 1024);
        List<Parked> parked =
                List.of(
                        b.park(1, 4, gzipLines(1000, 10, 1), 1000),
                        b.park(1, 5, gzipLines(1, 0, 2), 1),
                        b.park(1, 6, large, 70_000));
        s3Client.putObject(
                r -> r.bucket("rd-park-whole").key(PARK_PREFIX + "/notes.txt"),
                RequestBody.fromString("not a batch"));

        Run dry = redrive("--from", b.park(), "--to", b.to(), "--dry-run");

        assertThat(dry.status()).as(dry.all()).isZero();
        assertThat(dry.out())
                .contains("would move     job 1 seq 4, 1000 records")
                .contains("dry run: would redrive 3 batches (3 to copy, 0 already at the target)")
                .contains("71001 records")
                .contains("dry run: nothing changed");
        assertThat(keys("rd-logs-whole", "")).isEmpty();
        parked.forEach(RedriveCommandITCase::assertStillParked);

        Run run = redrive("--from", b.park(), "--to", b.to());

        assertThat(run.status()).as(run.all()).isZero();
        parked.forEach(b::assertMoved);
        assertThat(keys("rd-park-whole", "")).containsExactly(PARK_PREFIX + "/notes.txt");
        assertThat(keys("rd-logs-whole", ""))
                .containsExactlyElementsOf(parked.stream().map(Parked::key).sorted().toList());
        assertThat(s3Client.listMultipartUploads(r -> r.bucket("rd-logs-whole")).uploads())
                .isEmpty();
        long bytes = parked.stream().mapToLong(p -> p.body().length).sum();
        assertThat(run.out())
                .contains("from s3://rd-park-whole/parked?endpoint=")
                .contains(
                        "moved          job 1 seq 6, 70000 records, "
                                + large.length
                                + " bytes: s3://rd-park-whole/parked/cust-01/job-1/20241114/")
                .contains(" -> s3://rd-logs-whole/cust-01/job-1/20241114/")
                .contains(
                        "redriven 3 batches (3 copied, 0 already at the target), 71001 records, "
                                + bytes
                                + " bytes; 0 failed")
                .contains("ignored 1 other objects");

        Map<String, byte[]> delivered = contents("rd-logs-whole", "");
        Run again = redrive("--from", b.park(), "--to", b.to());

        assertThat(again.status()).as(again.all()).isZero();
        assertThat(again.out()).contains("redriven 0 batches");
        assertThat(contents("rd-logs-whole", "")).containsExactlyEntriesOf(delivered);
    }

    @Test
    void aJobFilterMovesOnlyThatJobAndMixedJobsAreRefusedWithoutOne() throws Exception {
        Buckets b = Buckets.create("jobs", "shared/{DATE}");
        Parked one = b.park(1, 0, gzipLines(10, 0, 1), 10);
        Parked two = b.park(2, 0, gzipLines(20, 0, 2), 20);
        Parked twoMore = b.park(2, 1, gzipLines(30, 0, 3), 30);

        Run mixed = redrive("--from", b.park(), "--to", b.to());

        assertThat(mixed.status()).isEqualTo(2);
        assertThat(mixed.err())
                .contains("belong to 2 jobs (job 1: 1 batch, job 2: 2 batches)")
                .contains("--job ID")
                .contains("--all-jobs");
        assertThat(keys("rd-logs-jobs", "")).isEmpty();

        Run onlyTwo = redrive("--from", b.park(), "--to", b.to(), "--job", "2");

        assertThat(onlyTwo.status()).as(onlyTwo.all()).isZero();
        b.assertMoved(two);
        b.assertMoved(twoMore);
        assertStillParked(one);
        assertThat(keys("rd-logs-jobs", "")).containsExactlyInAnyOrder(two.key(), twoMore.key());

        // One job left: no need to name it.
        Run rest = redrive("--from", b.park(), "--to", b.to());

        assertThat(rest.status()).as(rest.all()).isZero();
        b.assertMoved(one);
    }

    @Test
    void completesARedriveThatStoppedAfterTheCopy() throws Exception {
        Buckets b = Buckets.create("crash", "cust-03");
        Parked copied = b.park(3, 17, gzipLines(50, 5, 1), 50);
        Parked notYet = b.park(3, 18, gzipLines(60, 5, 2), 60);
        s3Client.putObject(
                r ->
                        r.bucket("rd-logs-crash")
                                .key(copied.key())
                                .contentType("application/gzip")
                                .metadata(copied.meta()),
                RequestBody.fromBytes(copied.body()));

        Run run = redrive("--from", b.park(), "--to", b.to(), "--job", "3");

        assertThat(run.status()).as(run.all()).isZero();
        assertThat(run.out())
                .contains("completed      job 3 seq 17")
                .contains("moved          job 3 seq 18")
                .contains("(1 copied, 1 already at the target), 110 records");
        b.assertMoved(copied);
        b.assertMoved(notYet);
    }

    @Test
    void aBatchParkedForAnotherDestinationStaysUnlessForced() throws Exception {
        Buckets b = Buckets.create("other", "cust-04");
        String elsewhere = destination("rd-logs-elsewhere", "cust-04");
        Parked mine = b.park(4, 0, gzipLines(10, 0, 1), 10);
        Parked theirs = park(b.park(), b.to(), elsewhere, 4, 1, gzipLines(10, 0, 2), 10);

        Run run = redrive("--from", b.park(), "--to", b.to());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out())
                .contains("FAILED         job 4 seq 1")
                .contains("refused: it was parked for s3://rd-logs-elsewhere/cust-04?endpoint=")
                .contains("--force")
                .contains("1 failed");
        b.assertMoved(mine);
        assertStillParked(theirs);
        assertThat(keys("rd-logs-other", "")).containsExactly(mine.key());

        Run forced = redrive("--from", b.park(), "--to", b.to(), "--force");

        assertThat(forced.status()).as(forced.all()).isZero();
        b.assertMoved(theirs);
    }

    @Test
    void passesOverUnfinishedUploadsInAParkWithoutPrefix() throws Exception {
        Buckets b = Buckets.create("bare", "", "cust-05");
        Parked p = b.park(5, 0, gzipLines(10, 0, 1), 10);
        String unfinishedKey = ObjectKeys.keyFor(Destination.parse(b.to()), 5, 1, T, T);
        String uploadId =
                s3Client.createMultipartUpload(r -> r.bucket("rd-park-bare").key(unfinishedKey))
                        .uploadId();
        s3Client.uploadPart(
                r -> r.bucket("rd-park-bare").key(unfinishedKey).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(gzipLines(5, 0, 2)));

        Run run = redrive("--from", b.park(), "--to", b.to());

        assertThat(run.status()).as(run.all()).isZero();
        assertThat(run.out()).contains("redriven 1 batch ");
        b.assertMoved(p);
        assertThat(keys("rd-logs-bare", "")).containsExactly(p.key());
        assertThat(s3Client.listMultipartUploads(r -> r.bucket("rd-park-bare")).uploads())
                .hasSize(1);
    }
}
