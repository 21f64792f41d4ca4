package dev.sluice.sink.store;

import dev.sluice.config.Destination;

import java.net.URI;
import java.util.Optional;

/**
 * What identifies an S3 client: endpoint, region, credentials, checksum mode. Destinations with
 * equal settings share one client and its connection pool.
 *
 * <p>Destination parameters: {@code endpoint} (S3-compatible stores; implies path-style access),
 * {@code region} (default us-east-1; {@code auto} for R2), {@code account-id} (R2: derives the
 * endpoint; the {@link dev.sluice.config.DestinationKind} holds these rules), {@code access-key-id}
 * and {@code secret-access-key} (otherwise the standard AWS credential chain), {@code checksums}
 * ({@code when-required}, the default because not every S3-compatible store accepts the SDK's
 * default trailing checksums, or {@code when-supported}), {@code attempt-timeout-ms} (one request,
 * default 30000) and {@code call-timeout-ms} (a request with its retries, default 120000), and
 * {@code create-timeout-ms} (starting an upload, retries included, default 10000): a store that
 * hangs is given up on, and its batch parked, before any of the batch's bytes are sent, and a short
 * wait there keeps a hanging store from holding up the other jobs of the subtask for long.
 */
record S3ClientSettings(
        Optional<URI> endpoint,
        String region,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        boolean checksumsWhenSupported,
        long attemptTimeoutMillis,
        long callTimeoutMillis,
        long createTimeoutMillis) {

    static final long DEFAULT_ATTEMPT_TIMEOUT_MILLIS = 30_000;
    static final long DEFAULT_CALL_TIMEOUT_MILLIS = 120_000;
    static final long DEFAULT_CREATE_TIMEOUT_MILLIS = 10_000;

    static S3ClientSettings of(Destination d) {
        // The kind knows its endpoint and region rules (R2 derives both from its account).
        return new S3ClientSettings(
                d.kind().endpoint(d),
                d.kind().region(d),
                d.param("access-key-id"),
                d.param("secret-access-key"),
                "when-supported".equals(d.param("checksums").orElse("when-required")),
                millis(d, "attempt-timeout-ms", DEFAULT_ATTEMPT_TIMEOUT_MILLIS),
                millis(d, "call-timeout-ms", DEFAULT_CALL_TIMEOUT_MILLIS),
                millis(d, "create-timeout-ms", DEFAULT_CREATE_TIMEOUT_MILLIS));
    }

    private static long millis(Destination d, String name, long defaultValue) {
        String value = d.param(name).orElse(null);
        if (value == null) {
            return defaultValue;
        }
        try {
            long millis = Long.parseLong(value);
            if (millis > 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive number of milliseconds");
    }
}
