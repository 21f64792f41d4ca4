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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
        List<String> expects = new CopyOnWriteArrayList<>();
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    expects.add(String.valueOf(exchange.getRequestHeaders().getFirst("Expect")));
                    exchange.getRequestBody().readAllBytes();
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
                                    + "&region=us-east-1&access-key-id=k&secret-access-key=s");
            try (S3Client client = S3Clients.of(S3Clients.settingsOf(d))) {
                client.putObject(
                        r -> r.bucket("logs").key("x/a.log.gz"),
                        RequestBody.fromBytes(new byte[64 * 1024]));
            }
        } finally {
            server.stop(0);
        }

        assertThat(expects).containsExactly("null");
    }
}
