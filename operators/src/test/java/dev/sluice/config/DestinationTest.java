package dev.sluice.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationTest {

    @Test
    void parsesS3WithEndpointRegionAndDatePlaceholder() {
        Destination d =
                Destination.parse(
                        "s3://my-logs/http/{DATE}?region=eu-west-1&endpoint=http://127.0.0.1:9000");

        assertThat(d.kind()).isEqualTo(DestinationKind.S3);
        assertThat(d.bucket()).isEqualTo("my-logs");
        assertThat(d.prefixFor(LocalDate.of(2024, 11, 14))).isEqualTo("http/20241114");
        assertThat(d.param("region")).contains("eu-west-1");
        assertThat(d.param("endpoint")).contains("http://127.0.0.1:9000");
    }

    @Test
    void parsesR2AndFile() {
        Destination r2 = Destination.parse("r2://logs/x?account-id=abc");
        assertThat(r2.kind()).isEqualTo(DestinationKind.R2);
        assertThat(r2.param("account-id")).contains("abc");
        Destination file = Destination.parse("file:///var/sluice/out");
        assertThat(file.kind()).isEqualTo(DestinationKind.FILE);
        assertThat(file.prefix()).isEqualTo("var/sluice/out");
        assertThat(file.bucket()).isEmpty();
        assertThat(Destination.parse("s3://logs").prefix()).isEmpty();
    }

    @Test
    void aSchemeIsReadWhateverItsCaseAndShownAsTheKindWritesIt() {
        Destination d = Destination.parse("S3://logs/x");

        assertThat(d.kind()).isEqualTo(DestinationKind.S3);
        assertThat(d.scheme()).isEqualTo(DestinationKind.S3.scheme());
    }

    @Test
    void anUnknownSchemeIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> Destination.parse("gs://logs/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("destination_conf scheme 'gs' is not one of s3, r2, file");
        assertThatThrownBy(() -> Destination.parse("logs/x")).hasMessageContaining("scheme ''");
    }

    @Test
    void everyKindIsReachedByItsOwnScheme() {
        for (DestinationKind kind : DestinationKind.values()) {
            assertThat(DestinationKind.ofScheme(kind.scheme())).isEqualTo(kind);
        }
    }

    @Test
    void theKindGivesTheStoreAddressingDefaults() {
        Destination s3 = Destination.parse("s3://logs/x?endpoint=http://127.0.0.1:9000");
        Destination r2 = Destination.parse("r2://logs/x?account-id=abc&region=weur");

        S3ApiSettings s3Settings = s3.s3Settings().orElseThrow();
        S3ApiSettings r2Settings = r2.s3Settings().orElseThrow();

        assertThat(s3Settings.region()).isEqualTo("us-east-1");
        assertThat(s3Settings.endpoint().map(Object::toString)).contains("http://127.0.0.1:9000");
        assertThat(r2Settings.region()).isEqualTo("weur");
        assertThat(r2Settings.endpoint().map(Object::toString))
                .contains("https://abc.r2.cloudflarestorage.com");
        assertThat(Destination.parse("file:///tmp/x").s3Settings()).isEmpty();
        assertThat(DestinationKind.FILE.protocol()).isEqualTo(DestinationKind.Protocol.LOCAL_FILES);
    }

    @Test
    void refusesABlankDestination() {
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

    /**
     * Unsafe or malformed destinations, and what the sink's S3 client would refuse, are refused
     * when the config is read.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "s3://logs/a/../b                    | '..'",
                "s3://logs/a/%0Ab                    | control character",
                "s3://Bad_Bucket/x                   | bucket",
                "s3://ab/x                           | bucket",
                "r2://logs/x?account-id=evil.example.com%2F | letters and digits",
                "r2://logs/x                         | account-id",
                "file://host/dir                     | file:///",
                "gs://logs/x                         | 'gs'",
                "s3://logs/x?attempt-timeout-ms=abc  | attempt-timeout-ms must be a whole number",
                "s3://logs/x?call-timeout-ms=0       | call-timeout-ms",
                "s3://logs/x?endpoint=ftp://host     | http:// or https://",
                "s3://logs/x?endpoint=http://h:99999 | port",
                "s3://logs/x?checksums=always        | when-required or when-supported",
                "s3://logs/x?access-key-id=AKIA      | go together",
                "s3://logs/x?region=US%20East        | region",
                "s3://logs/x?region=a&region=b       | given twice",
                "r2://logs/x?account-id=a&endpoint=http://h"
                        + " | unknown r2:// destination parameter 'endpoint'",
                "file:///tmp/x?region=us-east-1      | it takes none",
                "s3://logs/x?sse=AES25               | sse must be AES256 or aws:kms",
                "s3://logs/x?encryption=AES256       | unknown s3:// destination parameter"
                        + " 'encryption'",
            })
    void refusesWhatTheSinkCouldNotUse(String conf, String problem) {
        assertThatThrownBy(() -> Destination.parse(conf)).hasMessageContaining(problem);
    }

    @Test
    void refusesAnUnknownParameterWithTheClosestKnownOne() {
        assertThatThrownBy(
                        () -> Destination.parse("s3://logs/x?secret-acess-key=s&access-key-id=a"))
                .hasMessageContaining("unknown s3:// destination parameter 'secret-acess-key'")
                .hasMessageContaining("did you mean secret-access-key?")
                .hasMessageNotContaining("=s");
    }

    /** A credential is named, not written; inline keys stay possible, never both. */
    @Test
    void credentialsAreNamedOrInlineAndEveryWrongCombinationIsRefused() {
        S3Credentials named =
                Destination.parse("s3://logs/x?credentials=acme-prod")
                        .s3Settings()
                        .orElseThrow()
                        .credentials();
        assertThat(named.reference()).contains("acme-prod");
        assertThat(named.inline()).isFalse();
        assertThat(
                        Destination.parse(
                                        "s3://logs/x?credentials=default&role-arn="
                                                + "arn:aws:iam::123456789012:role/sluice-writer")
                                .s3Settings()
                                .orElseThrow()
                                .credentials()
                                .toString())
                .isEqualTo("default chain assuming arn:aws:iam::123456789012:role/sluice-writer");
        assertThat(
                        Destination.parse(
                                        "s3://logs/x?access-key-id=k&secret-access-key=s&session-token=t")
                                .s3Settings()
                                .orElseThrow()
                                .credentials()
                                .sessionToken())
                .contains("t");

        assertThatThrownBy(() -> Destination.parse("s3://logs/x?credentials=../etc"))
                .hasMessageContaining("credentials must name a credential");
        assertThatThrownBy(
                        () ->
                                Destination.parse(
                                        "s3://logs/x?credentials=acme&access-key-id=k&secret-access-key=s"))
                .hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> Destination.parse("s3://logs/x?session-token=t"))
                .hasMessageContaining("session-token goes with");
        assertThatThrownBy(() -> Destination.parse("s3://logs/x?role-arn=admin"))
                .hasMessageContaining("role-arn must be an IAM role ARN");
        assertThatThrownBy(() -> Destination.parse("s3://logs/x?credential=acme"))
                .hasMessageContaining("credentials");
    }

    @Test
    void objectOptionsAreCheckedWithTheDestination() {
        S3ObjectOptions options =
                Destination.parse("s3://logs/x?sse=AES256&storage-class=GLACIER_IR&acl=private")
                        .s3Settings()
                        .orElseThrow()
                        .objectOptions();
        assertThat(options.sse()).contains("AES256");
        assertThat(options.storageClass()).contains("GLACIER_IR");

        assertThatThrownBy(() -> Destination.parse("s3://logs/x?sse=aes256"))
                .hasMessageContaining("sse must be AES256 or aws:kms");
        assertThatThrownBy(() -> Destination.parse("s3://logs/x?sse=AES256&sse-kms-key-id=k"))
                .hasMessageContaining("sse-kms-key-id goes with sse=aws:kms");
        assertThatThrownBy(() -> Destination.parse("s3://logs/x?storage-class=STANDARD_AI"))
                .hasMessageContaining("did you mean STANDARD_IA?");
        assertThatThrownBy(() -> Destination.parse("s3://logs/x?acl=public-read"))
                .hasMessageContaining("acl must be one of private, bucket-owner-read");
    }

    @Test
    void destinationsOfOneQueryShareItsParseAndEachBucketIsStillChecked() {
        String query = "?region=eu-west-1&endpoint=http://127.0.0.1:9000&credentials=acme";
        Destination a = Destination.parse("s3://logs-a/x" + query);
        Destination b = Destination.parse("s3://logs-b/y/{DATE}" + query);

        assertThat(b.s3Settings().orElseThrow()).isSameAs(a.s3Settings().orElseThrow());
        assertThat(b.bucket()).isEqualTo("logs-b");
        assertThat(b.prefix()).isEqualTo("y/{DATE}");
        assertThatThrownBy(() -> Destination.parse("s3://Bad_Bucket/x" + query))
                .hasMessageContaining("bucket");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> Destination.parse("s3://logs/x?sse=aes256"))
                    .hasMessageContaining("sse must be AES256 or aws:kms");
        }
    }
}
