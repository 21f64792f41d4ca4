package dev.sluice.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A real multipart upload through the SDK against the in-process S3 server. It also pins down how
 * S3Proxy 3.0.0 shows an unfinished upload, which recovery code and test readers rely on.
 */
class EmbeddedS3Test {

    private static final String BUCKET = "logs";
    private static final String KEY = "customer-1/2025/01/01/part-0.jsonl.zst";
    private static final int MIB = 1024 * 1024;

    @TempDir Path dir;

    @Test
    void multipartUploadLandsAsPlainFile() throws Exception {
        byte[] first = randomBytes(5 * MIB, 1);
        byte[] second = randomBytes(1234, 2);
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, dir, "access", "secret-key");
                S3Client client = s3.newClient()) {
            assertThat(s3.endpoint().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
            s3.createBucket(BUCKET);
            s3.createBucket(BUCKET); // idempotent

            String uploadId =
                    client.createMultipartUpload(b -> b.bucket(BUCKET).key(KEY)).uploadId();
            String etag1 = uploadPart(client, uploadId, 1, first);
            assertUnfinishedUploadVisible(client, uploadId);
            String etag2 = uploadPart(client, uploadId, 2, second);
            complete(client, uploadId, etag1, etag2);

            byte[] expected = concat(first, second);
            assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY)).asByteArray())
                    .isEqualTo(expected);
            Path file = s3.bucketDir().resolve(BUCKET).resolve(KEY);
            assertThat(file).isRegularFile();
            assertThat(Files.readAllBytes(file)).isEqualTo(expected);
            assertThat(keys(client)).containsExactly(KEY);
            assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
        }
    }

    /**
     * A PUT cut off midway leaves its temp file beside the key, which fails every listing of the
     * bucket; the sweep removes it and nothing else.
     */
    @Test
    void aCutOffPutFailsListingsUntilSwept() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, dir, "access", "secret-key");
                S3Client client = s3.newClient()) {
            s3.createBucket(BUCKET);
            client.putObject(
                    b -> b.bucket(BUCKET).key(KEY),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[] {1, 2}));
            Path cutOff =
                    s3.bucketDir()
                            .resolve(BUCKET)
                            .resolve(KEY + "-9234b66c-052b-420f-9914-732d186a0327");
            Files.write(cutOff, new byte[] {1});
            assertThatThrownBy(() -> keys(client))
                    .as("S3Proxy's listing fails on the leftover")
                    .hasMessageContaining("500");

            assertThat(s3.removeCutOffWrites()).isEqualTo(1);

            assertThat(keys(client)).containsExactly(KEY);
            assertThat(s3.removeCutOffWrites()).isZero();
        }
    }

    /**
     * Both listings see the upload: ListMultipartUploads reports it properly, and ListObjectsV2
     * shows the backend's bookkeeping (parts, a stub and a marker named by the upload id).
     */
    private static void assertUnfinishedUploadVisible(S3Client client, String uploadId) {
        List<MultipartUpload> uploads =
                client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads();
        assertThat(uploads)
                .extracting(MultipartUpload::key, MultipartUpload::uploadId)
                .containsExactly(tuple(KEY, uploadId));
        String prefix = ".mpus-" + uploadId + "-" + KEY;
        assertThat(keys(client))
                .containsExactlyInAnyOrder(prefix + "-1", prefix + "-stub", uploadId);
    }

    private static List<String> keys(S3Client client) {
        return client.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private static String uploadPart(S3Client client, String uploadId, int number, byte[] data) {
        return client.uploadPart(
                        b -> b.bucket(BUCKET).key(KEY).uploadId(uploadId).partNumber(number),
                        RequestBody.fromBytes(data))
                .eTag();
    }

    private static void complete(S3Client client, String uploadId, String etag1, String etag2) {
        CompletedMultipartUpload parts =
                CompletedMultipartUpload.builder()
                        .parts(
                                CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                                CompletedPart.builder().partNumber(2).eTag(etag2).build())
                        .build();
        client.completeMultipartUpload(
                b -> b.bucket(BUCKET).key(KEY).uploadId(uploadId).multipartUpload(parts));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
