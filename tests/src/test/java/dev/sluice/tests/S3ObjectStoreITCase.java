package dev.sluice.tests;

import dev.sluice.config.Destination;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.store.CommitOutcome;
import dev.sluice.sink.store.IntegrityException;
import dev.sluice.sink.store.ListedObject;
import dev.sluice.sink.store.ObjectHead;
import dev.sluice.sink.store.ObjectStore;
import dev.sluice.sink.store.ObjectStores;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The S3 store against a real S3 API server on 127.0.0.1: the sink's two phases, and the whole
 * object reads and writes of a redrive.
 */
class S3ObjectStoreITCase {

    private static final String BUCKET = "store-test";
    private static final long JOB = 3;
    private static final long T = 1_731_579_300_000_000L;

    @TempDir static Path dir;

    private static EmbeddedS3 s3;
    private static S3Client client;
    private static ObjectStores stores;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start(0, dir, "k", "s");
        s3.createBucket(BUCKET);
        client = s3.newClient();
        stores = new ObjectStores();
    }

    @AfterAll
    static void stop() {
        stores.close();
        client.close();
        s3.close();
    }

    private static String conf(String prefix) {
        return "s3://"
                + BUCKET
                + "/"
                + prefix
                + "?endpoint="
                + s3.endpoint()
                + "&access-key-id=k&secret-access-key=s";
    }

    private static ObjectStore store(Destination d) {
        return stores.forDestination(d);
    }

    @Test
    void aMultipartObjectIsInvisibleUntilCommittedThenWhole() throws Exception {
        Destination d = Destination.parse(conf("whole"));
        byte[] body = new byte[9 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        String key = ObjectKeys.keyFor(d, JOB, 0, T, T);

        ObjectCommittable staged = store(d).stage(conf("whole"), d, key, body, 10);

        assertThat(staged.partETags()).hasSize(2);
        assertThatThrownBy(() -> client.headObject(r -> r.bucket(BUCKET).key(key)))
                .isInstanceOf(NoSuchKeyException.class);

        assertThat(store(d).commit(d, staged)).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(client.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray())
                .isEqualTo(body);
        assertThat(store(d).commit(d, staged))
                .as("a retried commit")
                .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
    }

    /**
     * A destination names its credential ({@code credentials=NAME}), whose files the store reads
     * when they change: a wrong secret is refused by the server, the rotated one is used by the
     * same store without a restart, and no secret is in the destination_conf.
     */
    @Test
    void aNamedCredentialIsReadFromItsFilesAndARotationIsTakenWithoutARestart() throws Exception {
        Path credentials = dir.resolve("credentials");
        Path rotating = CredentialsDirectory.write(credentials, "rotating", "k", "not-the-secret");
        try (CredentialsDirectory in = CredentialsDirectory.use(credentials);
                ObjectStores own = new ObjectStores()) {
            String conf =
                    "s3://" + BUCKET + "/named?endpoint=" + s3.endpoint() + "&credentials=rotating";
            Destination d = Destination.parse(conf);
            ObjectStore store = own.forDestination(d);

            assertThatThrownBy(() -> store.put(d, "named/a.txt", new byte[] {1}, "text/plain"))
                    .isInstanceOf(IOException.class)
                    .hasMessageNotContaining("not-the-secret");

            Files.writeString(rotating.resolve("secret-access-key"), "s\n");
            Files.setLastModifiedTime(
                    rotating.resolve("secret-access-key"),
                    java.nio.file.attribute.FileTime.fromMillis(
                            System.currentTimeMillis() + 5_000));
            Thread.sleep(1_100); // the files are looked at once a second
            store.put(d, "named/a.txt", new byte[] {1}, "text/plain");

            assertThat(
                            client.getObjectAsBytes(r -> r.bucket(BUCKET).key("named/a.txt"))
                                    .asByteArray())
                    .containsExactly(1);
        }
    }

    @Test
    void anObjectOfAnotherLengthIsNeverAcceptedAsCommitted() throws Exception {
        Destination d = Destination.parse(conf("mismatch"));
        String key = ObjectKeys.keyFor(d, JOB, 0, T, T);
        ObjectCommittable staged =
                store(d).stage(conf("mismatch"), d, key, new byte[] {1, 2, 3}, 1);
        store(d).commit(d, staged);
        ObjectCommittable claimsMore =
                ObjectCommittable.staged(
                        staged.destination(), key, staged.uploadId(), staged.partETags(), 4, 1);

        assertThatThrownBy(() -> store(d).commit(d, claimsMore))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("has 3 bytes; 4 were staged");
    }

    @Test
    void abortsOnlyUploadsAtOrAfterTheRestoredSequence() throws Exception {
        Destination d = Destination.parse(conf("stale"));
        for (long seq = 0; seq < 3; seq++) {
            store(d).stage(
                            conf("stale"),
                            d,
                            ObjectKeys.keyFor(d, JOB, seq, T, T),
                            new byte[] {1},
                            1);
        }
        store(d).stage(conf("stale"), d, ObjectKeys.keyFor(d, JOB + 1, 5, T, T), new byte[] {1}, 1);

        assertThat(store(d).abortStale(d, JOB, 1)).isEqualTo(2);

        List<String> left =
                client
                        .listMultipartUploads(r -> r.bucket(BUCKET).prefix("stale/"))
                        .uploads()
                        .stream()
                        .map(u -> u.key())
                        .toList();
        assertThat(left)
                .containsExactlyInAnyOrder(
                        ObjectKeys.keyFor(d, JOB, 0, T, T), ObjectKeys.keyFor(d, JOB + 1, 5, T, T));
    }

    private static byte[] randomBody(int size, long seed) {
        byte[] body = new byte[size];
        new Random(seed).nextBytes(body);
        return body;
    }

    @Test
    void aWrittenObjectIsListedHeadedReadAndDeletedSmallOrLarge() throws Exception {
        Destination d = Destination.parse(conf("copies"));
        Map<String, String> meta = Map.of("sluice-records", "7");
        byte[] small = randomBody(1000, 1);
        byte[] large = randomBody(9 * 1024 * 1024 + 3, 2);

        store(d).write(
                        d,
                        "copies/a.log.gz",
                        new ByteArrayInputStream(small),
                        1000,
                        "application/gzip",
                        meta);
        store(d).write(
                        d,
                        "copies/b.log.gz",
                        new ByteArrayInputStream(large),
                        large.length,
                        "application/gzip",
                        meta);

        assertThat(store(d).list(d, "copies/"))
                .extracting(ListedObject::key, ListedObject::length)
                .containsExactly(
                        tuple("copies/a.log.gz", 1000L),
                        tuple("copies/b.log.gz", (long) large.length));
        assertThat(store(d).head(d, "copies/b.log.gz"))
                .contains(new ObjectHead(large.length, Optional.of("application/gzip"), meta));
        try (InputStream in = store(d).read(d, "copies/b.log.gz")) {
            assertThat(in.readAllBytes()).isEqualTo(large);
        }
        store(d).delete(d, "copies/a.log.gz");
        assertThat(store(d).head(d, "copies/a.log.gz")).isEmpty();
        assertThat(store(d).location(d, "copies/a.log.gz"))
                .isEqualTo("s3://" + BUCKET + "/copies/a.log.gz");
    }

    @Test
    void aLargeWriteWhoseSourceEndsEarlyLeavesNothingVisibleOrUnfinished() {
        Destination d = Destination.parse(conf("short"));
        byte[] body = randomBody(9 * 1024 * 1024, 3);

        assertThatThrownBy(
                        () ->
                                store(d).write(
                                                d,
                                                "short/a.log.gz",
                                                new ByteArrayInputStream(body),
                                                body.length + 1,
                                                "application/gzip",
                                                Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended after");

        assertThatThrownBy(() -> client.headObject(r -> r.bucket(BUCKET).key("short/a.log.gz")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThat(client.listMultipartUploads(r -> r.bucket(BUCKET).prefix("short/")).uploads())
                .isEmpty();
    }
}
