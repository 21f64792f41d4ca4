package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice.config.inline-credentials: reject} refuses what an update or the start config
 * brings inline.
 */
class InlineCredentialsTest {

    private static final GuardSettings REJECT =
            GuardSettings.defaults().withInlineCredentialsRejected(true);

    private static String job(long id, String destination) {
        return String.format(
                "{\"id\": %d, \"customer_id\": \"c%d\", \"dataset\": \"http_requests\","
                        + " \"destination_conf\": \"%s\"}",
                id, id, destination);
    }

    private static VersionedConfig inForce(String... jobs) throws InvalidConfigException {
        TestConfigs config = TestConfigs.version(1);
        for (String j : jobs) {
            config.rawJob(j);
        }
        return VersionedConfig.of((ConfigUpdate.Snapshot) ConfigUpdates.parse(config.json()));
    }

    private static String upsert(String job) {
        return "{\"version\": 2, \"upsert\": " + job + "}";
    }

    @Test
    void refusesAJobWrittenWithItsKeysNamingTheJobAndTheReference() throws Exception {
        VersionedConfig now = inForce(job(1, "s3://logs/a?credentials=acme"));

        ConfigReview review =
                ConfigReview.of(
                        now,
                        upsert(job(2, "s3://logs/b?access-key-id=AKIA&secret-access-key=s3cr3t")),
                        REJECT);

        assertThat(review.kind()).isEqualTo(ConfigVerdict.Kind.REJECTED);
        assertThat(review.reason())
                .contains("job 2")
                .contains("credentials=NAME")
                .doesNotContain("s3cr3t")
                .doesNotContain("AKIA");
    }

    @Test
    void takesReferencesAndLeavesJobsAlreadyInForceAlone() throws Exception {
        VersionedConfig now =
                inForce(job(1, "s3://logs/a?access-key-id=AKIA&secret-access-key=s3cr3t"));

        assertThat(
                        ConfigReview.of(now, upsert(job(2, "s3://logs/b?credentials=acme")), REJECT)
                                .kind())
                .isEqualTo(ConfigVerdict.Kind.ACCEPTED);
        assertThat(
                        ConfigReview.of(
                                        now,
                                        upsert(
                                                job(
                                                        2,
                                                        "s3://logs/b?access-key-id=A&secret-access-key=B")),
                                        GuardSettings.defaults())
                                .kind())
                .as("allow, the default")
                .isEqualTo(ConfigVerdict.Kind.ACCEPTED);
    }

    @Test
    void aStartConfigWithInlineKeysIsNotedNamingTheJobNeverTheKeys() throws Exception {
        String start =
                TestConfigs.version(1)
                        .rawJob(job(1, "s3://logs/a?credentials=acme"))
                        .rawJob(job(2, "s3://logs/b?access-key-id=AKIA&secret-access-key=s3cr3t"))
                        .json();

        StartConfigReader.Checked checked = check(start);

        assertThat(checked.inlineCredentialsRefusal())
                .hasValueSatisfying(
                        r ->
                                assertThat(r)
                                        .contains("job 2")
                                        .doesNotContain("job 1")
                                        .contains("credentials=NAME")
                                        .doesNotContain("s3cr3t")
                                        .doesNotContain("AKIA"));
        assertThat(
                        check(
                                        TestConfigs.version(1)
                                                .rawJob(job(1, "s3://logs/a?credentials=acme"))
                                                .json())
                                .inlineCredentialsRefusal())
                .isEmpty();
    }

    private static StartConfigReader.Checked check(String json) throws Exception {
        return StartConfigReader.check(
                new java.io.ByteArrayInputStream(
                        json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
