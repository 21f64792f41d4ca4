package dev.sluice.config;

import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a destination is, resolved once from its scheme when it is parsed: how its address is
 * checked, which store protocol reaches it, and that protocol's kind-specific defaults.
 *
 * <p>This is the one file that names the schemes. A new kind is a new constant here; a kind that
 * speaks a protocol no store speaks yet also needs that store, and the compiler then points at the
 * one switch ({@code ObjectStores}) that must learn it.
 */
public enum DestinationKind {

    /** AWS S3, or any S3-compatible server named by {@code endpoint=}. */
    S3("s3", Protocol.S3_API, "us-east-1", Names.S3_PARAMETERS, "endpoint") {
        @Override
        String checkedBucket(URI uri, Map<String, String> params) {
            return s3Bucket(uri);
        }

        @Override
        Optional<URI> endpoint(Map<String, String> params) {
            return Optional.ofNullable(params.get("endpoint")).map(S3ApiSettings::endpoint);
        }
    },

    /**
     * Cloudflare R2: the endpoint is the account's ({@code account-id=}), the region {@code auto}.
     */
    R2("r2", Protocol.S3_API, "auto", Names.S3_PARAMETERS, Names.ACCOUNT_ID) {
        @Override
        String checkedBucket(URI uri, Map<String, String> params) {
            String bucket = s3Bucket(uri);
            String account = params.get(Names.ACCOUNT_ID);
            if (account == null) {
                throw new IllegalArgumentException("r2 destination needs account-id=…");
            }
            // It becomes part of the endpoint's host name: letters and digits only.
            if (!R2_ACCOUNT.matcher(account).matches()) {
                throw new IllegalArgumentException(
                        "r2 account-id must be 1-64 letters and digits (Cloudflare's is 32 hex)");
            }
            return bucket;
        }

        /** An R2 bucket lives on its account's endpoint, so there is no {@code endpoint=}. */
        @Override
        Optional<URI> endpoint(Map<String, String> params) {
            String account = params.get(Names.ACCOUNT_ID);
            return Optional.of(URI.create("https://" + account + ".r2.cloudflarestorage.com"));
        }
    },

    /** Local files, for local runs and tests: {@code file:///absolute/dir}. */
    FILE("file", Protocol.LOCAL_FILES, "", List.of()) {
        @Override
        String checkedBucket(URI uri, Map<String, String> params) {
            if (uri.getAuthority() != null
                    || uri.getPath() == null
                    || !uri.getPath().startsWith("/")) {
                throw new IllegalArgumentException("file destination must be file:///absolute/dir");
            }
            return "";
        }

        @Override
        Optional<URI> endpoint(Map<String, String> params) {
            return Optional.empty();
        }

        @Override
        Optional<S3ApiSettings> s3Settings(Map<String, String> params) {
            return Optional.empty();
        }
    };

    /** How a store reaches a kind's objects; each protocol has one store implementation. */
    public enum Protocol {
        /** The S3 API: buckets, multipart uploads, user metadata. */
        S3_API,
        /** The local file system: a key is the absolute path {@code /key}. */
        LOCAL_FILES
    }

    /** Parameter names, apart so the constants above may use them (enums initialize first). */
    private static final class Names {
        static final String ACCOUNT_ID = "account-id";

        /** What every S3 API kind takes, besides its own; see {@link S3ApiSettings}. */
        static final List<String> S3_PARAMETERS =
                List.of(
                        "region",
                        "credentials",
                        "access-key-id",
                        "secret-access-key",
                        "session-token",
                        "role-arn",
                        "sse",
                        "sse-kms-key-id",
                        "storage-class",
                        "acl",
                        "checksums",
                        "attempt-timeout-ms",
                        "call-timeout-ms",
                        "create-timeout-ms");
    }

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern R2_ACCOUNT = Pattern.compile("[A-Za-z0-9]{1,64}");

    private final String scheme;
    private final Protocol protocol;
    private final String defaultRegion;
    private final Set<String> parameters;

    DestinationKind(
            String scheme,
            Protocol protocol,
            String defaultRegion,
            List<String> common,
            String... own) {
        this.scheme = scheme;
        this.protocol = protocol;
        this.defaultRegion = defaultRegion;
        Set<String> all = new TreeSet<>(common);
        all.addAll(List.of(own));
        this.parameters = Collections.unmodifiableSet(all);
    }

    /** The kind a scheme names, case-insensitively, or a message listing the known schemes. */
    public static DestinationKind ofScheme(String scheme) {
        String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.scheme.equals(s))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "destination_conf scheme '"
                                                + s
                                                + "' is not one of "
                                                + Arrays.stream(values())
                                                        .map(DestinationKind::scheme)
                                                        .collect(Collectors.joining(", "))));
    }

    /**
     * The bucket of a destination of this kind ({@code ""} where there are none), once its
     * authority and kind-specific parameters are valid; otherwise says what is wrong without
     * quoting the parameters, which may hold credentials.
     */
    abstract String checkedBucket(URI uri, Map<String, String> params);

    /** The scheme, as written in a {@code destination_conf} and in addresses shown to people. */
    public String scheme() {
        return scheme;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The parameters a destination of this kind takes; any other is refused. */
    public Set<String> parameters() {
        return parameters;
    }

    /** Refuses a parameter this kind does not take, with the closest one it does. */
    void checkParameters(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (!parameters.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown "
                                + scheme
                                + ":// destination parameter '"
                                + name
                                + "'"
                                + Suggestions.didYouMean(name, parameters)
                                + (parameters.isEmpty()
                                        ? "; it takes none"
                                        : "; it takes " + String.join(", ", parameters)));
            }
        }
    }

    /** The S3 endpoint to address instead of AWS's; empty for AWS itself. */
    abstract Optional<URI> endpoint(Map<String, String> params);

    /**
     * How an S3 client reaches a destination of this kind with {@code params}; empty for a kind no
     * S3 client reaches. Throws {@link IllegalArgumentException} for a parameter the client would
     * refuse.
     */
    Optional<S3ApiSettings> s3Settings(Map<String, String> params) {
        String region = params.getOrDefault("region", defaultRegion);
        return Optional.of(S3ApiSettings.of(params, endpoint(params), region));
    }

    private static String s3Bucket(URI uri) {
        String bucket = uri.getHost();
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException(
                    "bucket '"
                            + uri.getAuthority()
                            + "' breaks S3 bucket naming: 3-63 of a-z 0-9 . -,"
                            + " starting and ending with a letter or digit");
        }
        return bucket;
    }
}
