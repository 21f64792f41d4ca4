package dev.sluice.tools;

import dev.sluice.config.Destination;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * How the S3 store writes a batch: one put below a part, a multipart upload of 8 MiB parts above,
 * and nothing visible when the source comes up short. The S3 server in the tests module cannot tell
 * a multipart object from a put one, so the calls are recorded here.
 */
class RedriveStoreTest {

    private static final int PART = RedriveStore.S3.PART_SIZE;
    private static final Destination TO = Destination.parse("s3://logs-bucket/cust-01");
    private static final Map<String, String> META = Map.of("sluice-records", "3");

    private final Recording client = new Recording();
    private final RedriveStore.S3 store = new RedriveStore.S3(TO, client);

    private static byte[] body(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void aBatchBelowOnePartIsOnePutWithItsChecksum() throws Exception {
        byte[] b = body(PART - 1);

        store.write("k.log.gz", new ByteArrayInputStream(b), b.length, "application/gzip", META);

        assertThat(client.calls).containsExactly("put");
        assertThat(client.put.contentType()).isEqualTo("application/gzip");
        assertThat(client.put.metadata()).isEqualTo(META);
        assertThat(client.put.contentMD5()).isNotBlank();
        assertThat(client.bodies).containsExactly(b);
    }

    @Test
    void aLargerBatchIsStreamedAsAMultipartUploadOfWholeParts() throws Exception {
        byte[] b = body(2 * PART + 5);

        store.write("k.log.gz", new ByteArrayInputStream(b), b.length, "application/gzip", META);

        assertThat(client.calls)
                .containsExactly("create", "part 1", "part 2", "part 3", "complete");
        assertThat(client.create.metadata()).isEqualTo(META);
        assertThat(client.create.contentType()).isEqualTo("application/gzip");
        assertThat(client.bodies).extracting(p -> p.length).containsExactly(PART, PART, 5);
        assertThat(client.bodies.get(2)).isEqualTo(Arrays.copyOfRange(b, 2 * PART, b.length));
        assertThat(client.completed)
                .extracting(CompletedPart::partNumber, CompletedPart::eTag)
                .containsExactly(tuple(1, "etag-1"), tuple(2, "etag-2"), tuple(3, "etag-3"));
    }

    @Test
    void aSourceThatEndsEarlyAbortsTheUploadSoNothingAppears() {
        byte[] b = body(PART + 10);

        assertThatThrownBy(
                        () ->
                                store.write(
                                        "k.log.gz",
                                        new ByteArrayInputStream(b),
                                        b.length + 1,
                                        "application/gzip",
                                        META))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended after " + b.length);

        assertThat(client.calls).containsExactly("create", "part 1", "part 2", "abort");
    }

    @Test
    void aSourceLongerThanItsLengthIsNotPut() {
        byte[] b = body(100);

        assertThatThrownBy(
                        () ->
                                store.write(
                                        "k.log.gz",
                                        new ByteArrayInputStream(b),
                                        99,
                                        "application/gzip",
                                        META))
                .isInstanceOf(IOException.class);

        assertThat(client.calls).isEmpty();
    }

    /** Records the write calls; the SDK's builder overloads delegate to these. */
    private static final class Recording implements S3Client {
        final List<String> calls = new ArrayList<>();
        final List<byte[]> bodies = new ArrayList<>();
        PutObjectRequest put;
        CreateMultipartUploadRequest create;
        List<CompletedPart> completed;

        private static byte[] read(RequestBody body) {
            try {
                return body.contentStreamProvider().newStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            calls.add("put");
            put = request;
            bodies.add(read(body));
            return PutObjectResponse.builder().build();
        }

        @Override
        public CreateMultipartUploadResponse createMultipartUpload(
                CreateMultipartUploadRequest request) {
            calls.add("create");
            create = request;
            return CreateMultipartUploadResponse.builder().uploadId("u1").build();
        }

        @Override
        public UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
            calls.add("part " + request.partNumber());
            bodies.add(read(body));
            return UploadPartResponse.builder().eTag("etag-" + request.partNumber()).build();
        }

        @Override
        public CompleteMultipartUploadResponse completeMultipartUpload(
                CompleteMultipartUploadRequest request) {
            calls.add("complete");
            completed = request.multipartUpload().parts();
            return CompleteMultipartUploadResponse.builder().build();
        }

        @Override
        public AbortMultipartUploadResponse abortMultipartUpload(
                AbortMultipartUploadRequest request) {
            calls.add("abort");
            return AbortMultipartUploadResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }
}
