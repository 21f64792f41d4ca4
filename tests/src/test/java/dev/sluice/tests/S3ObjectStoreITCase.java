package dev.sluice.tests;

import dev.sluice.config.Destination;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.store.CommitOutcome;
import dev.sluice.sink.store.IntegrityException;
import dev.sluice.sink.store.ObjectStore;
import dev.sluice.sink.store.ObjectStores;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 two-phase store against a real S3 API server on 127.0.0.1. */
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

    @Test
    void anObjectOfAnotherLengthIsNeverAcceptedAsCommitted() throws Exception {
        Destination d = Destination.parse(conf("mismatch"));
        String key = ObjectKeys.keyFor(d, JOB, 0, T, T);
        ObjectCommittable staged =
                store(d).stage(conf("mismatch"), d, key, new byte[] {1, 2, 3}, 1);
        store(d).commit(d, staged);
        ObjectCommittable claimsMore =
                new ObjectCommittable(
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
}
