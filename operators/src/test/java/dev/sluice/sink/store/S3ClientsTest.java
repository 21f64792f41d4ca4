package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.config.S3ApiSettings;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which store a destination reaches; no request leaves the machine (R2 is not reachable here). */
class S3ClientsTest {

    private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";

    @Test
    void derivesTheR2EndpointFromTheAccountAndUsesRegionAuto() {
        S3ApiSettings s =
                S3Clients.settingsOf(
                        Destination.parse(
                                "r2://logs/http/{DATE}?account-id="
                                        + ACCOUNT
                                        + "&access-key-id=k&secret-access-key=s"));

        assertThat(s.endpoint())
                .contains(URI.create("https://" + ACCOUNT + ".r2.cloudflarestorage.com"));
        assertThat(s.region()).isEqualTo("auto");
        assertThat(s.credentials().accessKeyId()).contains("k");
        assertThat(s.toString()).doesNotContain("=k").doesNotContain("=s,").contains("inline");
    }

    @Test
    void anR2ClientAddressesTheBucketPathStyleOnTheAccountsEndpoint() throws Exception {
        Destination d =
                Destination.parse(
                        "r2://logs/x?account-id="
                                + ACCOUNT
                                + "&access-key-id=k&secret-access-key=s");
        try (S3Client client = S3Clients.of(S3Clients.settingsOf(d))) {
            URL url = client.utilities().getUrl(r -> r.bucket("logs").key("x/a.log.gz"));

            assertThat(url.toString())
                    .isEqualTo("https://" + ACCOUNT + ".r2.cloudflarestorage.com/logs/x/a.log.gz");
        }
    }

    @Test
    void awsS3KeepsItsRegionAndTheDefaultEndpoint() throws Exception {
        Destination d =
                Destination.parse(
                        "s3://logs/x?region=eu-west-1&access-key-id=k&secret-access-key=s");
        try (S3Client client = S3Clients.of(S3Clients.settingsOf(d))) {
            URL url = client.utilities().getUrl(r -> r.bucket("logs").key("x/a.log.gz"));

            assertThat(url.getHost()).isEqualTo("logs.s3.eu-west-1.amazonaws.com");
        }
        assertThat(S3Clients.settingsOf(d).endpoint()).isEmpty();
    }

    @Test
    void timeoutsDefaultAndCanBeSetPerDestination() {
        S3ApiSettings defaults = S3Clients.settingsOf(Destination.parse("s3://logs/x"));
        assertThat(defaults.attemptTimeoutMillis())
                .isEqualTo(S3ApiSettings.DEFAULT_ATTEMPT_TIMEOUT_MILLIS);
        assertThat(defaults.callTimeoutMillis())
                .isEqualTo(S3ApiSettings.DEFAULT_CALL_TIMEOUT_MILLIS);
        assertThat(defaults.createTimeoutMillis())
                .isEqualTo(S3ApiSettings.DEFAULT_CREATE_TIMEOUT_MILLIS);

        S3ApiSettings set =
                S3Clients.settingsOf(
                        Destination.parse(
                                "s3://logs/x?attempt-timeout-ms=500&call-timeout-ms=2000"
                                        + "&create-timeout-ms=700"));
        assertThat(set.attemptTimeoutMillis()).isEqualTo(500);
        assertThat(set.callTimeoutMillis()).isEqualTo(2000);
        assertThat(set.createTimeoutMillis()).isEqualTo(700);

        assertThatThrownBy(
                        () ->
                                S3Clients.settingsOf(
                                        Destination.parse("s3://logs/x?attempt-timeout-ms=soon")))
                .hasMessageContaining("attempt-timeout-ms");
    }

    @Test
    void equalSettingsShareAClient() {
        assertThat(S3Clients.settingsOf(Destination.parse("s3://a-bucket/x?region=eu-west-1")))
                .isEqualTo(
                        S3Clients.settingsOf(
                                Destination.parse("s3://b-bucket/y?region=eu-west-1")));
    }

    /**
     * A put sends its body with its headers, not after an interim "100 Continue": that second
     * exchange per request cost more CPU than the body of a typical batch (see {@link S3Clients}).
     */
    @Test
    void aPutSendsItsBodyWithoutWaitingForContinue() throws Exception {
        ReceivedPut put = putOverHttp("", new byte[64 * 1024]);

        assertThat(put.headers().get("Expect")).isNull();
    }

    /**
     * Over plain HTTP the SDK signs a put's body. It signs the body whole, in one header, not in
     * aws-chunked frames each with its own signature: the frames cost the client and the store a
     * fifth more CPU a put of a typical batch (PERFORMANCE.md, item 26). With the store's default
     * trailing checksums on, the checksum goes in a header too.
     */
    @Test
    void aPutOverHttpSignsItsBodyWholeNotInChunks() throws Exception {
        byte[] body = new byte[64 * 1024];
        new Random(7).nextBytes(body);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        for (String checksums : new String[] {"when-required", "when-supported"}) {
            ReceivedPut put = putOverHttp("&checksums=" + checksums, body);

            assertThat(put.headers().get("X-amz-content-sha256"))
                    .as(checksums)
                    .containsExactly(sha256);
            assertThat(put.headers().getOrDefault("Content-encoding", List.of()))
                    .as(checksums)
                    .noneMatch(e -> e.contains("aws-chunked"));
            assertThat(put.body()).as(checksums).isEqualTo(body);
            if (checksums.equals("when-supported")) {
                assertThat(put.headers().keySet())
                        .as(checksums)
                        .anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-"));
            }
        }
    }

    /** What a store on 127.0.0.1 received of one put. */
    private record ReceivedPut(Map<String, List<String>> headers, byte[] body) {}

    /**
     * Puts {@code body} through a client of an {@code http://} destination (with {@code query}
     * appended to its settings) to a JDK {@code HttpServer} on 127.0.0.1, which answers like a
     * store.
     */
    private static ReceivedPut putOverHttp(String query, byte[] body) throws Exception {
        AtomicReference<ReceivedPut> received = new AtomicReference<>();
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
                    received.set(
                            new ReceivedPut(headers, exchange.getRequestBody().readAllBytes()));
                    exchange.getResponseHeaders().add("ETag", "\"e\"");
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
        server.start();
        try {
            Destination d =
                    Destination.parse(
                            "s3://logs/x?endpoint=http://127.0.0.1:"
                                    + server.getAddress().getPort()
                                    + "&region=us-east-1&access-key-id=k&secret-access-key=s"
                                    + query);
            try (S3Client client = S3Clients.of(S3Clients.settingsOf(d))) {
                client.putObject(
                        r -> r.bucket("logs").key("x/a.log.gz"), RequestBody.fromBytes(body));
            }
        } finally {
            server.stop(0);
        }
        return received.get();
    }
}
