package dev.sluice.sink.store;

import dev.sluice.config.S3ObjectOptions;

import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * A destination's {@link S3ObjectOptions} on the two requests that create objects: the single put
 * and the multipart upload's creation (its parts and completion inherit them).
 */
final class S3WriteOptions {

    private S3WriteOptions() {}

    static CreateMultipartUploadRequest.Builder apply(
            S3ObjectOptions o, CreateMultipartUploadRequest.Builder r) {
        o.sse().ifPresent(v -> r.serverSideEncryption(ServerSideEncryption.fromValue(v)));
        o.sseKmsKeyId().ifPresent(r::ssekmsKeyId);
        o.storageClass().ifPresent(v -> r.storageClass(StorageClass.fromValue(v)));
        o.acl().ifPresent(v -> r.acl(ObjectCannedACL.fromValue(v)));
        return r;
    }

    static PutObjectRequest.Builder apply(S3ObjectOptions o, PutObjectRequest.Builder r) {
        o.sse().ifPresent(v -> r.serverSideEncryption(ServerSideEncryption.fromValue(v)));
        o.sseKmsKeyId().ifPresent(r::ssekmsKeyId);
        o.storageClass().ifPresent(v -> r.storageClass(StorageClass.fromValue(v)));
        o.acl().ifPresent(v -> r.acl(ObjectCannedACL.fromValue(v)));
        return r;
    }
}
