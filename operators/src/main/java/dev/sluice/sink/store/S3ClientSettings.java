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
 * endpoint), {@code access-key-id} and {@code secret-access-key} (otherwise the standard AWS
 * credential chain), {@code checksums} ({@code when-required}, the default because not every
 * S3-compatible store accepts the SDK's default trailing checksums, or {@code when-supported}).
 */
record S3ClientSettings(
        Optional<URI> endpoint,
        String region,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        boolean checksumsWhenSupported) {

    static S3ClientSettings of(Destination d) {
        Optional<URI> endpoint = d.param("endpoint").map(URI::create);
        String region = d.param("region").orElse("us-east-1");
        if ("r2".equals(d.scheme())) {
            String account = d.param("account-id").orElseThrow();
            endpoint = Optional.of(URI.create("https://" + account + ".r2.cloudflarestorage.com"));
            region = d.param("region").orElse("auto");
        }
        return new S3ClientSettings(
                endpoint,
                region,
                d.param("access-key-id"),
                d.param("secret-access-key"),
                "when-supported".equals(d.param("checksums").orElse("when-required")));
    }
}
