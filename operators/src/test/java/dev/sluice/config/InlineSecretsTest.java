package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys written inline are read once and named from then on: no secret in what a job is made of. */
class InlineSecretsTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    @Test
    void aJobReadWithInlineKeysNamesThemAndKeepsThemInThisJvmOnly() throws Exception {
        String conf =
                "s3://logs/acme?region=eu-west-1&access-key-id=AKIAEXAMPLE&secret-access-key="
                        + SECRET.replace("/", "%2F").replace("+", "%2B")
                        + "&session-token=tok";
        ConfigUpdate.Snapshot snapshot =
                (ConfigUpdate.Snapshot)
                        ConfigUpdates.parse(
                                TestConfigs.version(1)
                                        .rawJob(
                                                "{\"id\": 7, \"customer_id\": \"acme\","
                                                        + " \"dataset\": \"http_requests\","
                                                        + " \"destination_conf\": \""
                                                        + conf
                                                        + "\"}")
                                        .json());
        DeliveryJob job = snapshot.jobs().get(0);

        assertThat(job.destinationConf())
                .startsWith("s3://logs/acme?region=eu-west-1&credentials=inline-")
                .doesNotContain("AKIAEXAMPLE")
                .doesNotContain("EXAMPLEKEY")
                .doesNotContain("tok");
        assertThat(ConfigParser.jobJson(job)).doesNotContain("EXAMPLEKEY").doesNotContain("AKIA");
        String reference =
                Destination.parse(job.destinationConf()).param("credentials").orElseThrow();
        InlineSecrets.Keys keys = InlineSecrets.lookup(reference).orElseThrow();
        assertThat(keys.accessKeyId()).isEqualTo("AKIAEXAMPLE");
        assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
        assertThat(keys.sessionToken()).contains("tok");
        assertThat(keys.toString()).doesNotContain("EXAMPLE");
    }

    @Test
    void theSameKeysAreTheSameReferenceAndOtherKeysAnother() {
        String a = InlineSecrets.takeInline("s3://b/p?access-key-id=A&secret-access-key=S");
        String again = InlineSecrets.takeInline("s3://b/p?secret-access-key=S&access-key-id=A");
        String other = InlineSecrets.takeInline("s3://b/p?access-key-id=A&secret-access-key=T");

        assertThat(again).isEqualTo(a);
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void leavesAloneWhatHasNoKeysOrWhatTheReviewRefuses() {
        for (String conf :
                new String[] {
                    "s3://b/p?region=us-east-1",
                    "s3://b/p",
                    "s3://b/p?access-key-id=A",
                    "s3://b/p?credentials=acme&access-key-id=A&secret-access-key=S",
                    "file:///tmp/x"
                }) {
            assertThat(InlineSecrets.takeInline(conf)).isEqualTo(conf);
        }
        assertThat(InlineSecrets.lookup("inline-0000000000000000")).isEqualTo(Optional.empty());
    }
}
