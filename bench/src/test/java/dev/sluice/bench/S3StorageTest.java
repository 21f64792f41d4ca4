package dev.sluice.bench;

import dev.sluice.local.EmbeddedS3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the bench's S3 server keeps its objects, with a real server on each medium. */
class S3StorageTest {

    @TempDir Path dir;

    @Test
    void inMemoryTheServerKeepsAnObjectsBytesTypeAndMetadataAndTheFolderGoesOnClose()
            throws Exception {
        S3Storage storage = S3Storage.choose(S3Storage.Medium.memory, dir);
        assumeTrue(
                storage.medium() == S3Storage.Medium.memory,
                "this machine has no tmpfs folder keeping extended attributes");
        Path folder = storage.dir();
        assertThat(folder).startsWith(Path.of("/dev/shm")).isDirectory();

        assertObjectRoundTrips(storage);

        storage.close();
        assertThat(folder).doesNotExist();
    }

    @Test
    void onDiskTheServerUsesTheWorkingDirectoryWhichStaysOnClose() throws Exception {
        S3Storage storage = S3Storage.choose(S3Storage.Medium.disk, dir);
        assertThat(storage.medium()).isEqualTo(S3Storage.Medium.disk);
        assertThat(storage.dir()).isEqualTo(dir.resolve("s3"));

        assertObjectRoundTrips(storage);

        storage.close();
        assertThat(dir.resolve("s3").resolve("bucket").resolve("a").resolve("object.gz"))
                .isRegularFile();
    }

    @Test
    void noMemoryFolderUnderAMissingRoot() {
        assertThat(S3Storage.memoryFolder(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void aMemoryFolderIsOnlyOneThatKeepsAttributesAndIsNew() {
        // The temp folder's file system decides; either way nothing is left behind on refusal.
        S3Storage.memoryFolder(dir)
                .ifPresentOrElse(
                        f -> assertThat(f.getParent()).isEqualTo(dir),
                        () -> assertThat(dir).isEmptyDirectory());
    }

    private static void assertObjectRoundTrips(S3Storage storage) throws Exception {
        Map<String, String> ledger = Map.of("sluice-records", "3", "sluice-seq", "7");
        byte[] body = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, storage.dir(), "key", "secret-key");
                S3Client client = s3.newClient()) {
            s3.createBucket("bucket");
            client.putObject(
                    r ->
                            r.bucket("bucket")
                                    .key("a/object.gz")
                                    .contentType("application/gzip")
                                    .metadata(ledger),
                    RequestBody.fromBytes(body));

            HeadObjectResponse head = client.headObject(r -> r.bucket("bucket").key("a/object.gz"));
            assertThat(head.contentType()).isEqualTo("application/gzip");
            assertThat(head.metadata()).isEqualTo(ledger);
            assertThat(
                            client.getObjectAsBytes(r -> r.bucket("bucket").key("a/object.gz"))
                                    .asByteArray())
                    .isEqualTo(body);
            assertThat(Files.readAllBytes(storage.dir().resolve("bucket/a/object.gz")))
                    .isEqualTo(body);
        }
    }
}
