package dev.sluice.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How each object is written to an S3 destination, from its parameters, as Logpush and S3 users
 * expect: {@code sse=AES256} or {@code sse=aws:kms} (with {@code sse-kms-key-id=}, else the
 * bucket's AWS-managed key), {@code storage-class=}, and {@code acl=bucket-owner-full-control} for
 * a bucket of another account. Checked when the destination is parsed; applied to every upload and
 * put.
 */
public record S3ObjectOptions(
        Optional<String> sse,
        Optional<String> sseKmsKeyId,
        Optional<String> storageClass,
        Optional<String> acl) {

    /** The bucket's defaults for everything. */
    public static final S3ObjectOptions NONE =
            new S3ObjectOptions(
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public static final String SSE_S3 = "AES256";
    public static final String SSE_KMS = "aws:kms";

    /** S3's storage classes (the SDK's {@code StorageClass} values; a test keeps them equal). */
    public static final List<String> STORAGE_CLASSES =
            List.of(
                    "STANDARD",
                    "REDUCED_REDUNDANCY",
                    "STANDARD_IA",
                    "ONEZONE_IA",
                    "INTELLIGENT_TIERING",
                    "GLACIER",
                    "DEEP_ARCHIVE",
                    "OUTPOSTS",
                    "GLACIER_IR",
                    "SNOW",
                    "EXPRESS_ONEZONE",
                    "FSX_OPENZFS");

    /**
     * Canned ACLs a log object may get: none that makes it readable by anyone but the bucket's
     * owner and the writer. ({@code public-read} for customers' logs is a leak, not an option.)
     */
    public static final List<String> ACLS =
            List.of("private", "bucket-owner-read", "bucket-owner-full-control");

    static S3ObjectOptions of(Map<String, String> params) {
        Optional<String> sse = Optional.ofNullable(params.get("sse"));
        Optional<String> keyId = Optional.ofNullable(params.get("sse-kms-key-id"));
        Optional<String> storageClass = Optional.ofNullable(params.get("storage-class"));
        Optional<String> acl = Optional.ofNullable(params.get("acl"));
        sse.ifPresent(
                v -> {
                    if (!v.equals(SSE_S3) && !v.equals(SSE_KMS)) {
                        throw new IllegalArgumentException(
                                "sse must be AES256 or aws:kms, not '" + v + "'");
                    }
                });
        if (keyId.isPresent() && !sse.equals(Optional.of(SSE_KMS))) {
            throw new IllegalArgumentException("sse-kms-key-id goes with sse=aws:kms");
        }
        keyId.ifPresent(
                v -> {
                    if (v.isBlank() || v.length() > 2048) {
                        throw new IllegalArgumentException(
                                "sse-kms-key-id must be a KMS key id, ARN or alias");
                    }
                });
        storageClass.ifPresent(v -> oneOf("storage-class", v, STORAGE_CLASSES));
        acl.ifPresent(v -> oneOf("acl", v, ACLS));
        return new S3ObjectOptions(sse, keyId, storageClass, acl);
    }

    private static void oneOf(String name, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(
                    name
                            + " must be one of "
                            + String.join(", ", allowed)
                            + ", not '"
                            + value
                            + "'"
                            + Suggestions.didYouMean(value, allowed));
        }
    }

    @Override
    public String toString() {
        return "sse="
                + sse.orElse("bucket default")
                + storageClass.map(c -> ", storage-class=" + c).orElse("")
                + acl.map(a -> ", acl=" + a).orElse("");
    }
}
