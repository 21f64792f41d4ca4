package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.config.S3ApiSettings;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.net.URL;

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
}
