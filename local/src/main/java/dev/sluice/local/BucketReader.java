package dev.sluice.local;

import dev.sluice.sink.Parking;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads delivered objects back through the S3 API, as a consumer of the logs would, and
 * decompresses them. Remembers what it read, so repeated calls only fetch new objects.
 */
public final class BucketReader {

    /** Key marker of in-progress multipart uploads on S3Proxy's nio2 backends. */
    private static final String MULTIPART_MARKER = ".mpus-";

    private static final Pattern UPLOAD_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final int LISTING_ATTEMPTS = 5;

    private final S3Client client;
    private final String bucket;
    private final Set<String> seen = new HashSet<>();

    public BucketReader(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    /**
     * Objects that appeared since the last call. Safe while a job writes: uploads are listed after
     * the objects, so an upload's artifact seen in the object listing is either still listed as an
     * upload, or its upload completed and the artifact is gone (then it is skipped).
     */
    public List<DeliveredObject> readNew() {
        List<S3Object> listed = listObjects();
        Set<String> uploadIds = new HashSet<>();
        client.listMultipartUploadsPaginator(r -> r.bucket(bucket))
                .uploads()
                .forEach(u -> uploadIds.add(u.uploadId()));
        List<DeliveredObject> fresh = new ArrayList<>();
        for (S3Object object : listed) {
            if (isUploadArtifact(object.key(), uploadIds)
                    || isStrandedRecord(object.key())
                    || seen.contains(object.key())) {
                continue;
            }
            try {
                fresh.add(read(object));
                seen.add(object.key());
            } catch (NoSuchKeyException e) {
                // The artifact of an upload that completed after the listing.
            }
        }
        return fresh;
    }

    /**
     * The bucket's keys. S3Proxy's file backend has answered a listing with 500 while a job was
     * writing to the bucket (seen once in the cluster test, and the SDK's own retries, milliseconds
     * apart, all met it): a fault of the test server, not of the job, so the listing is asked again
     * a few times, a moment apart.
     */
    private List<S3Object> listObjects() {
        for (int attempt = 1; ; attempt++) {
            try {
                List<S3Object> listed = new ArrayList<>();
                client.listObjectsV2Paginator(r -> r.bucket(bucket))
                        .contents()
                        .forEach(listed::add);
                return listed;
            } catch (S3Exception e) {
                if (e.statusCode() < 500 || attempt == LISTING_ATTEMPTS) {
                    throw e;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing", e);
        }
    }

    /**
     * S3Proxy's nio2 backends list an unfinished upload's parts as {@code .mpus-…} keys and its id
     * (a UUID) as a bare key; neither is an object. The id key can outlive the upload's listing for
     * a moment while the upload completes, so a bare UUID counts as one too (Sluice's keys always
     * have a prefix).
     */
    private static boolean isUploadArtifact(String key, Set<String> uploadIds) {
        return key.contains(MULTIPART_MARKER)
                || uploadIds.contains(key)
                || UPLOAD_ID.matcher(key).matches();
    }

    /**
     * A park store's record of a stranded upload ({@link dev.sluice.sink.StrandedUpload}) is JSON
     * naming staged bytes elsewhere, not an object of records: its records count as not yet
     * delivered until a redrive completes the upload.
     */
    private static boolean isStrandedRecord(String key) {
        return key.startsWith(Parking.STRANDED) || key.contains("/" + Parking.STRANDED);
    }

    private DeliveredObject read(S3Object object) {
        ResponseBytes<GetObjectResponse> body =
                client.getObjectAsBytes(r -> r.bucket(bucket).key(object.key()));
        return new DeliveredObject(
                object.key(),
                object.size(),
                gunzipLines(body.asByteArray(), object.key()),
                body.response().metadata());
    }

    /** NDJSON lines of a gzip object; fails loudly on a truncated or corrupt one. */
    static List<String> gunzipLines(byte[] gzip, String key) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.endsWith("\n")) {
                throw new IllegalStateException(key + " does not end with a complete line");
            }
            return Arrays.asList(text.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(key + " is not a complete gzip object", e);
        }
    }
}
