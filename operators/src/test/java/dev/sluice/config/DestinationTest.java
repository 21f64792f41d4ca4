package dev.sluice.config;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationTest {

    @Test
    void parsesS3WithEndpointRegionAndDatePlaceholder() {
        Destination d =
                Destination.parse(
                        "s3://my-logs/http/{DATE}?region=eu-west-1&endpoint=http://127.0.0.1:9000");

        assertThat(d.scheme()).isEqualTo("s3");
        assertThat(d.bucket()).isEqualTo("my-logs");
        assertThat(d.prefixFor(LocalDate.of(2024, 11, 14))).isEqualTo("http/20241114");
        assertThat(d.param("region")).contains("eu-west-1");
        assertThat(d.param("endpoint")).contains("http://127.0.0.1:9000");
    }

    @Test
    void parsesR2AndFile() {
        assertThat(Destination.parse("r2://logs/x?account-id=abc").param("account-id"))
                .contains("abc");
        assertThat(Destination.parse("file:///var/sluice/out").prefix())
                .isEqualTo("var/sluice/out");
        assertThat(Destination.parse("s3://logs").prefix()).isEmpty();
    }

    @Test
    void rejectsUnsafeOrMalformedDestinations() {
        assertThatThrownBy(() -> Destination.parse("s3://logs/a/../b"))
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> Destination.parse("s3://logs/a/%0Ab"))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> Destination.parse("s3://Bad_Bucket/x"))
                .hasMessageContaining("bucket");
        assertThatThrownBy(() -> Destination.parse("s3://ab/x")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> Destination.parse("r2://logs/x?account-id=evil.example.com%2F"))
                .hasMessageContaining("letters and digits");
        assertThatThrownBy(() -> Destination.parse("r2://logs/x"))
                .hasMessageContaining("account-id");
        assertThatThrownBy(() -> Destination.parse("file://host/dir"))
                .hasMessageContaining("file:///");
        assertThatThrownBy(() -> Destination.parse("gs://logs/x")).hasMessageContaining("'gs'");
        assertThatThrownBy(() -> Destination.parse(" ")).hasMessageContaining("missing");
    }

    @Test
    void redactsCredentials() {
        String conf =
                "s3://logs/x?region=auto&access-key-id=AKIA1&secret-access-key=s3cr3t&endpoint=http://h";

        assertThat(Destination.redact(conf))
                .isEqualTo(
                        "s3://logs/x?region=auto&access-key-id=***&secret-access-key=***&endpoint=http://h");
    }

    @Test
    void neverQuotesADestinationInItsErrors() {
        assertThatThrownBy(() -> Destination.parse("s3://Bad_Bucket/x?secret-access-key=s3cr3t"))
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> Destination.parse("s3://logs/../x?secret-access-key=s3cr3t"))
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> Destination.parse("s3://logs/a b?secret-access-key=s3cr3t"))
                .hasMessageContaining("not a URI")
                .hasMessageNotContaining("s3cr3t");
    }
}
