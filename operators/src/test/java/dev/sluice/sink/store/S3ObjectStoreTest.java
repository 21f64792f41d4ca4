package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.config.S3ObjectOptions;

import org.junit.jupiter.api.AfterEach;
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
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * How the S3 store writes a whole object it is handed as a stream (a redriven batch): one put below
 * a part, a multipart upload of whole parts above, and nothing visible when the source is not the
 * length it claimed. The S3 server of the tests module cannot tell a multipart object from a put
 * one, so the calls are recorded here.
 */
class S3ObjectStoreTest {

    private static final int PART = S3ObjectStore.PART_SIZE;
    private static final Destination TO = Destination.parse("s3://logs-bucket/cust-01");
    private static final Map<String, String> META = Map.of("sluice-records", "3");

    private final Recording client = new Recording();
    private final PartUploads uploads = new PartUploads(1);
    private final S3ObjectStore store = new S3ObjectStore(client, uploads, Duration.ofSeconds(5));

    @AfterEach
    void close() {
        uploads.close();
    }

    private static byte[] body(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private void write(byte[] b, long length) throws IOException {
        store.write(TO, "k.log.gz", new ByteArrayInputStream(b), length, "application/gzip", META);
    }

    @Test
    void anObjectBelowOnePartIsOnePutWithItsChecksum() throws Exception {
        byte[] b = body(PART - 1);

        write(b, b.length);

        assertThat(client.calls).containsExactly("put");
        assertThat(client.put.contentType()).isEqualTo("application/gzip");
        assertThat(client.put.metadata()).isEqualTo(META);
        assertThat(client.put.contentMD5()).isEqualTo(ContentMd5.of(b, b.length));
        assertThat(client.put.overrideConfiguration())
                .as("a large copy waits as long as the client does, not as long as a manifest")
                .isEmpty();
        assertThat(client.bodies).containsExactly(b);
    }

    @Test
    void aLargerObjectIsStreamedAsAMultipartUploadOfWholePartsThenChecked() throws Exception {
        byte[] b = body(2 * PART + 5);

        write(b, b.length);

        assertThat(client.calls)
                .containsExactly("create", "part 1", "part 2", "part 3", "complete", "head");
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

        assertThatThrownBy(() -> write(b, b.length + 1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("s3://logs-bucket/k.log.gz")
                .hasMessageContaining("ended after " + b.length);

        assertThat(client.calls).containsExactly("create", "part 1", "abort");
    }

    @Test
    void aSourceLongerThanItsLengthIsNotPut() {
        byte[] b = body(100);

        assertThatThrownBy(() -> write(b, 99))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than 99 bytes");

        assertThat(client.calls).isEmpty();
    }

    /**
     * A destination's encryption, storage class and ACL go on every request that creates an object
     * (the parts and the completion inherit them): the requests the SDK is handed say so.
     */
    @Test
    void writesEveryObjectWithTheDestinationsEncryptionStorageClassAndAcl() throws Exception {
        S3ObjectOptions options =
                Destination.parse(
                                "s3://logs-bucket/x?sse=aws:kms&sse-kms-key-id=alias/logs"
                                    + "&storage-class=STANDARD_IA&acl=bucket-owner-full-control")
                        .s3Settings()
                        .orElseThrow()
                        .objectOptions();
        Recording puts = new Recording();
        new S3ObjectStore(puts, uploads, Duration.ofSeconds(5), options)
                .put(TO, "small.log.gz", body(10), "application/gzip", META);
        new S3ObjectStore(client, uploads, Duration.ofSeconds(5), options)
                .write(
                        TO,
                        "large.log.gz",
                        new ByteArrayInputStream(body(PART + 1)),
                        PART + 1,
                        "application/gzip",
                        META);

        assertThat(puts.put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(puts.put.ssekmsKeyId()).isEqualTo("alias/logs");
        assertThat(puts.put.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        assertThat(puts.put.acl()).isEqualTo(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL);
        assertThat(client.create.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(client.create.ssekmsKeyId()).isEqualTo("alias/logs");
        assertThat(client.create.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        assertThat(client.create.acl()).isEqualTo(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL);
    }

    /** Every storage class the review accepts is one the SDK knows. */
    @Test
    void theStorageClassesTheReviewAcceptsAreTheSdks() {
        assertThat(S3ObjectOptions.STORAGE_CLASSES)
                .allSatisfy(
                        c ->
                                assertThat(StorageClass.fromValue(c))
                                        .isNotEqualTo(StorageClass.UNKNOWN_TO_SDK_VERSION));
        assertThat(S3ObjectOptions.ACLS)
                .allSatisfy(
                        a ->
                                assertThat(ObjectCannedACL.fromValue(a))
                                        .isNotEqualTo(ObjectCannedACL.UNKNOWN_TO_SDK_VERSION));
    }

    @Test
    void aMissingObjectHasNoHead() throws Exception {
        client.headStatus = 404;

        assertThat(store.head(TO, "gone.log.gz")).isEmpty();
    }

    @Test
    void anObjectsAddressNamesItsKindAndBucketOnly() {
        Destination r2 =
                Destination.parse(
                        "r2://logs-bucket/x?account-id=abc&access-key-id=a&secret-access-key=TOPSECRET");

        assertThat(store.location(r2, "x/a.log.gz")).isEqualTo("r2://logs-bucket/x/a.log.gz");
        assertThat(store.keepsMetadata()).isTrue();
    }

    /** Records the calls; the SDK's builder overloads delegate to these. */
    private static final class Recording implements S3Client {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
        volatile PutObjectRequest put;
        volatile CreateMultipartUploadRequest create;
        volatile List<CompletedPart> completed;
        volatile int headStatus = 200;

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

        /** The object the recorded parts make. */
        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            if (headStatus != 200) {
                throw (S3Exception) S3Exception.builder().statusCode(headStatus).build();
            }
            calls.add("head");
            long length = bodies.stream().mapToLong(b -> b.length).sum();
            return HeadObjectResponse.builder().contentLength(length).build();
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
