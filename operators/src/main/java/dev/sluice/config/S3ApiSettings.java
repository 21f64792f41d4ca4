package dev.sluice.config;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How an S3 client reaches a destination of an S3 API kind, built from its parameters when the
 * destination is parsed: so the config review and the sink build the same thing, and a parameter
 * the client would refuse is refused with the job's config, never met by the running sink.
 *
 * <p>Parameters: {@code endpoint} (S3-compatible stores; implies path-style access), {@code
 * region}, the credentials ({@link S3Credentials}: {@code credentials=NAME}, or inline keys), the
 * options each object is written with ({@link S3ObjectOptions}: {@code sse}, {@code
 * sse-kms-key-id}, {@code storage-class}, {@code acl}), {@code checksums} ({@code when-required},
 * the default because not every S3-compatible store accepts the SDK's default trailing checksums,
 * or {@code when-supported}), {@code attempt-timeout-ms} (one request, default 30000), {@code
 * call-timeout-ms} (a request with its retries, default 120000) and {@code create-timeout-ms}
 * (starting an upload, retries included, default 10000).
 */
public record S3ApiSettings(
        Optional<URI> endpoint,
        String region,
        S3Credentials credentials,
        S3ObjectOptions objectOptions,
        boolean checksumsWhenSupported,
        long attemptTimeoutMillis,
        long callTimeoutMillis,
        long createTimeoutMillis) {

    public static final long DEFAULT_ATTEMPT_TIMEOUT_MILLIS = 30_000;
    public static final long DEFAULT_CALL_TIMEOUT_MILLIS = 120_000;
    public static final long DEFAULT_CREATE_TIMEOUT_MILLIS = 10_000;

    /** A day: longer is a typo, and would hold a task thread for as long. */
    private static final long MAX_TIMEOUT_MILLIS = 86_400_000;

    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** The settings of {@code params}, with {@code endpoint} and {@code region} of the kind. */
    static S3ApiSettings of(Map<String, String> params, Optional<URI> endpoint, String region) {
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(
                    "region must be a region name such as us-east-1 (a-z 0-9 -), not '"
                            + region
                            + "'");
        }
        return new S3ApiSettings(
                endpoint,
                region,
                S3Credentials.of(params),
                S3ObjectOptions.of(params),
                checksums(params.getOrDefault("checksums", "when-required")),
                millis(params, "attempt-timeout-ms", DEFAULT_ATTEMPT_TIMEOUT_MILLIS),
                millis(params, "call-timeout-ms", DEFAULT_CALL_TIMEOUT_MILLIS),
                millis(params, "create-timeout-ms", DEFAULT_CREATE_TIMEOUT_MILLIS));
    }

    /** An {@code endpoint=} the client can address: http or https, a host, a port in range. */
    static URI endpoint(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(
                    "endpoint is not a URI: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("endpoint must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint must name a host, as http://host:port");
        }
        if (uri.getPort() > 65_535) {
            throw new IllegalArgumentException("endpoint port must be at most 65535");
        }
        return uri;
    }

    private static boolean checksums(String value) {
        return switch (value) {
            case "when-required" -> false;
            case "when-supported" -> true;
            default ->
                    throw new IllegalArgumentException(
                            "checksums must be when-required or when-supported, not '"
                                    + value
                                    + "'");
        };
    }

    private static long millis(Map<String, String> params, String name, long defaultValue) {
        String value = params.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long millis = Long.parseLong(value);
            if (millis > 0 && millis <= MAX_TIMEOUT_MILLIS) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                name + " must be a whole number of milliseconds from 1 to " + MAX_TIMEOUT_MILLIS);
    }

    /** Never the credentials: settings show up in logs and failure messages. */
    @Override
    public String toString() {
        return "S3ApiSettings[endpoint="
                + endpoint.map(URI::toString).orElse("AWS")
                + ", region="
                + region
                + ", credentials="
                + credentials
                + ", "
                + objectOptions
                + "]";
    }
}
