package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigParserTest {

    private static String withJob(String jobFields) {
        return "{\"version\":1,\"jobs\":[{\"id\":1,\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                   + "\"destination_conf\":\"s3://logs-bucket/acme\""
                + jobFields
                + "}]}";
    }

    @Test
    void acceptsAValidSnapshotAndAppliesLogpushDefaults() throws Exception {
        ConfigSnapshot snapshot = ConfigParser.parse(withJob(""));

        DeliveryJob job = snapshot.jobs().get(0);
        assertThat(job.enabled()).isTrue();
        assertThat(job.limits()).isEqualTo(new BatchLimits(5_000_000L, 100_000L, 30_000L));
        assertThat(job.outputOptions().timestampFormat()).isEqualTo(TimestampFormat.UNIXNANO);
    }

    @Test
    void refusesABlankConfiguration() {
        assertThatThrownBy(() -> ConfigParser.parse("{\"version\":5,\"jobs\":[]}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("blank configuration is never applied");
        assertThatThrownBy(() -> ConfigParser.parse("")).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> ConfigParser.parse("null"))
                .hasMessageContaining("config is empty");
    }

    @Test
    void reportsEveryProblemWithItsJob() {
        String json =
                "{\"version\":1,\"jobs\":[{\"id\":1,\"customer_id\":\"\",\"dataset\":\"d\","
                        + "\"destination_conf\":\"ftp://x\",\"max_upload_records\":10,"
                        + "\"max_upload_bytes\":2000000000,\"max_upload_interval_seconds\":5}]}";

        assertThatThrownBy(() -> ConfigParser.parse(json))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "job 1: customer_id is missing",
                                                "job 1: destination_conf scheme 'ftp' is not one of"
                                                        + " s3, r2, file",
                                                "job 1: max_upload_bytes 2000000000 is outside"
                                                        + " 5000000–1000000000 (or 0 for default)",
                                                "job 1: max_upload_records 10 is outside"
                                                        + " 1000–1000000 (or 0 for default)",
                                                "job 1: max_upload_interval_seconds 5 is outside"
                                                        + " 30–300 (or 0 for default)"));
    }

    @Test
    void rejectsDuplicateJobIdsAndMissingVersion() {
        String json =
                TestConfigs.version(1).job(3, "a").job(3, "b").json().replace("\"version\":1,", "");

        assertThatThrownBy(() -> ConfigParser.parse(json))
                .hasMessageContaining("version is missing")
                .hasMessageContaining("job id 3 appears more than once");
    }

    @Test
    void explainsMalformedJsonAndBadEnums() {
        assertThatThrownBy(() -> ConfigParser.parse("{\"version\":1,\"jobs\":[{]}"))
                .hasMessageStartingWith("invalid delivery configuration: not a config snapshot:");
        assertThatThrownBy(
                        () ->
                                ConfigParser.parse(
                                        withJob(
                                                ",\"output_options\":{\"timestamp_format\":\"iso\"}")))
                .hasMessageContaining(
                        "timestamp_format 'iso' is not one of unixnano, unix, rfc3339");
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        ConfigSnapshot snapshot = ConfigParser.parse(TestConfigs.version(4).job(1, "acme").json());

        assertThat(ConfigParser.parse(ConfigParser.toJson(snapshot)).jobs())
                .isEqualTo(snapshot.jobs());
    }
}
