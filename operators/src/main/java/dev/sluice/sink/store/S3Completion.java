package dev.sluice.sink.store;

import dev.sluice.config.Destination;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Completes a multipart upload and proves the object it made is the staged one: by the multipart
 * ETag the completion reports, else by the length (and ETag) a HEAD reports. Idempotent: an upload
 * an earlier attempt completed is {@link CommitOutcome#ALREADY_COMMITTED} once the object checks.
 */
final class S3Completion {

    private final S3Client client;

    S3Completion(S3Client client) {
        this.client = client;
    }

    CommitOutcome complete(Destination d, String key, StagedObject.Staged staged)
            throws IOException {
        String location = S3ObjectStore.address(d, key);
        CommitOutcome outcome = CommitOutcome.COMMITTED;
        String completedETag = null;
        try {
            completedETag =
                    client.completeMultipartUpload(
                                    r ->
                                            r.bucket(d.bucket())
                                                    .key(key)
                                                    .uploadId(staged.uploadId())
                                                    .multipartUpload(parts(staged)))
                            .eTag();
        } catch (SdkClientException e) {
            throw new IOException("completing " + location + " failed: " + e.getMessage(), e);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new IOException("completing " + location + " failed: " + e.getMessage(), e);
            }
            // The upload is gone: an earlier attempt of this commit completed it, or it was lost.
            outcome = CommitOutcome.ALREADY_COMMITTED;
        }
        if (outcome == CommitOutcome.COMMITTED && verifiedByETag(location, staged, completedETag)) {
            return outcome;
        }
        verifyByHead(d, key, staged);
        return outcome;
    }

    private static CompletedMultipartUpload parts(StagedObject.Staged staged) {
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < staged.partETags().size(); i++) {
            parts.add(
                    CompletedPart.builder()
                            .partNumber(i + 1)
                            .eTag(staged.partETags().get(i))
                            .build());
        }
        return CompletedMultipartUpload.builder().parts(parts).build();
    }

    /**
     * Whether the completion's own answer proves the object is the staged parts: its multipart ETag
     * (MD5 of the parts' MD5s, each part checked against its Content-MD5 on upload) is the one the
     * staged parts imply, which fixes the content and so the length, without another request. False
     * when the store reports no such ETag; then {@link #verifyByHead} asks the store.
     */
    private static boolean verifiedByETag(String location, StagedObject.Staged staged, String etag)
            throws IntegrityException {
        Optional<String> expected = MultipartETag.of(staged.partETags());
        if (expected.isEmpty() || !MultipartETag.comparable(etag)) {
            return false;
        }
        requireETag(location + " was completed with ETag ", etag, expected.get());
        return true;
    }

    /**
     * The completed object must have the staged length and, where the store reports multipart ETags
     * as S3 does (MD5 of the parts' MD5s, then {@code -<parts>}), exactly the ETag the staged parts
     * imply: a different object under the key (a concurrent writer, a lifecycle rule, a truncated
     * completion) is an integrity failure, never a success.
     */
    private void verifyByHead(Destination d, String key, StagedObject.Staged staged)
            throws IOException {
        String location = S3ObjectStore.address(d, key);
        HeadObjectResponse head =
                headOf(d, key)
                        .orElseThrow(
                                () ->
                                        new IntegrityException(
                                                location
                                                        + " is missing and its upload "
                                                        + staged.uploadId()
                                                        + " is gone"));
        if (head.contentLength() != staged.length()) {
            throw new IntegrityException(
                    location
                            + " has "
                            + head.contentLength()
                            + " bytes; "
                            + staged.length()
                            + " were staged");
        }
        Optional<String> expected = MultipartETag.of(staged.partETags());
        if (expected.isPresent() && MultipartETag.comparable(head.eTag())) {
            requireETag(location + " has ETag ", head.eTag(), expected.get());
        }
    }

    private static void requireETag(String found, String etag, String expected)
            throws IntegrityException {
        if (!expected.equals(MultipartETag.unquote(etag))) {
            throw new IntegrityException(found + etag + "; the staged parts make " + expected);
        }
    }

    private Optional<HeadObjectResponse> headOf(Destination d, String key) throws IOException {
        try {
            return Optional.of(client.headObject(r -> r.bucket(d.bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw verifyingFailed(d, key, e);
        } catch (SdkClientException e) {
            throw verifyingFailed(d, key, e);
        }
    }

    private static IOException verifyingFailed(Destination d, String key, SdkException e) {
        return new IOException(
                "verifying " + S3ObjectStore.address(d, key) + " failed: " + e.getMessage(), e);
    }
}
