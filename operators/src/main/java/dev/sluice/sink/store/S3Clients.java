package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.config.S3ApiSettings;
import dev.sluice.config.S3Credentials;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;
import java.time.Duration;

/** Builds the S3 client of a destination's {@link S3ApiSettings}. */
final class S3Clients {

    private static final int MAX_CONNECTIONS = 16;

    private S3Clients() {}

    /**
     * A destination's client settings, built and checked when it was parsed by the code the config
     * review runs; destinations with equal settings share one client and its connection pool.
     */
    static S3ApiSettings settingsOf(Destination d) {
        return d.s3Settings()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        d.scheme() + ":// is not reached by an S3 client"));
    }

    /** A new client; the caller closes it. */
    static S3Client of(S3ApiSettings settings) {
        return of(settings, credentials(settings));
    }

    /**
     * A new client with {@code credentials}; the caller closes both (the provider when it is
     * closeable: {@link AssumedRole}).
     */
    static S3Client of(S3ApiSettings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder =
                S3Client.builder()
                        .region(Region.of(settings.region()))
                        .credentialsProvider(credentials)
                        // No "Expect: 100-continue": it holds every PUT's body back for an
                        // interim answer, a second exchange per request. Most objects are a batch
                        // of a few kilobytes put whole: measured on the local S3 server, with it
                        // a 25 KB put took a third more of the client's CPU and half as much
                        // again of the server's. What it can save, a large body not sent to a
                        // store that refuses it, is for part-sized bodies of a failing
                        // destination, which is rare.
                        .httpClientBuilder(
                                ApacheHttpClient.builder()
                                        .maxConnections(MAX_CONNECTIONS)
                                        .expectContinueEnabled(false))
                        // Standard retries: exponential backoff with jitter, a few attempts;
                        // then the writer parks the batch instead of retrying forever.
                        .overrideConfiguration(
                                o ->
                                        o.retryStrategy(RetryMode.STANDARD)
                                                .apiCallAttemptTimeout(
                                                        Duration.ofMillis(
                                                                settings.attemptTimeoutMillis()))
                                                .apiCallTimeout(
                                                        Duration.ofMillis(
                                                                settings.callTimeoutMillis())))
                        .requestChecksumCalculation(
                                settings.checksumsWhenSupported()
                                        ? RequestChecksumCalculation.WHEN_SUPPORTED
                                        : RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(
                                settings.checksumsWhenSupported()
                                        ? ResponseChecksumValidation.WHEN_SUPPORTED
                                        : ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(e -> atEndpoint(builder, e));
        return builder.build();
    }

    /** A store at an endpoint of its own: addressed path-style, and over plain HTTP as below. */
    private static void atEndpoint(S3ClientBuilder builder, URI endpoint) {
        builder.endpointOverride(endpoint).forcePathStyle(true);
        if ("http".equalsIgnoreCase(endpoint.getScheme())) {
            // Over plain HTTP the SDK signs a body, by default in aws-chunked frames, each with
            // its own signature, which the store must decode and check too. Bodies are in memory
            // with a known length, so they are signed whole, in one header (a trailing checksum
            // goes in a header too): a fifth less CPU a put of a typical batch, client and store
            // together, measured on the local S3 server. Over HTTPS, where the SDK signs no body,
            // the client keeps the SDK's defaults.
            builder.serviceConfiguration(
                    S3Configuration.builder().chunkedEncodingEnabled(false).build());
        }
    }

    /**
     * The provider of a destination's credentials: inline keys, a named credential's files, or the
     * SDK's standard chain; with {@code role-arn}, the role is assumed with STS on top of them.
     */
    static AwsCredentialsProvider credentials(S3ApiSettings settings) {
        S3Credentials c = settings.credentials();
        AwsCredentialsProvider base;
        if (c.inline()) {
            String keyId = c.accessKeyId().orElseThrow();
            String secret = c.secretAccessKey().orElseThrow();
            base =
                    StaticCredentialsProvider.create(
                            c.sessionToken()
                                    .<AwsCredentials>map(
                                            t -> AwsSessionCredentials.create(keyId, secret, t))
                                    .orElseGet(() -> AwsBasicCredentials.create(keyId, secret)));
        } else if (c.reference().isPresent()
                && !c.reference().get().equals(S3Credentials.DEFAULT_CHAIN)) {
            base = CredentialDirectory.named(c.reference().get());
        } else {
            base = DefaultCredentialsProvider.builder().build();
        }
        if (c.roleArn().isEmpty()) {
            return base;
        }
        return new AssumedRole(c.roleArn().get(), settings.region(), base);
    }
}
