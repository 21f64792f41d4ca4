package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.config.S3ApiSettings;

import java.net.URI;
import java.util.Optional;

/**
 * What identifies an S3 client: endpoint, region, credentials, checksum mode, timeouts.
 * Destinations with equal settings share one client and its connection pool. The values come from
 * the destination's {@link S3ApiSettings}, which says what each parameter means; a store that hangs
 * is given up on after {@code create-timeout-ms}, and its batch parked, before any of the batch's
 * bytes are sent, so a hanging store holds up the other jobs of the subtask only briefly.
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

    static S3ClientSettings of(Destination d) {
        // Built and checked when the destination was parsed, by the same code the review runs.
        S3ApiSettings s =
                d.s3Settings()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                d.scheme() + ":// is not reached by an S3 client"));
        return new S3ClientSettings(
                s.endpoint(),
                s.region(),
                s.accessKeyId(),
                s.secretAccessKey(),
                s.checksumsWhenSupported(),
                s.attemptTimeoutMillis(),
                s.callTimeoutMillis(),
                s.createTimeoutMillis());
    }
}
