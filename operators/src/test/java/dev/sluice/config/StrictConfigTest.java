package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A config field Sluice does not know is refused by name, never dropped in silence. */
class StrictConfigTest {

    private static final String JOB =
            "{\"id\": 4, \"customer_id\": \"acme\", \"dataset\": \"http_requests\","
                    + " \"destination_conf\": \"file:///tmp/sluice-strict\"%s}";

    private static String snapshot(String extraJobField) {
        String other = String.format(JOB, "").replace("\"id\": 4", "\"id\": 1");
        return "{\"version\": 2, \"jobs\": ["
                + other
                + ","
                + String.format(JOB, extraJobField)
                + "]}";
    }

    @Test
    void aMisspeltJobFieldIsRefusedWithItsPlaceAndTheFieldMeant() {
        assertThatThrownBy(() -> ConfigParser.parse(snapshot(", \"max_upload_record\": 5000")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("jobs[1]: unknown field 'max_upload_record'")
                .hasMessageContaining("did you mean max_upload_records?");
    }

    @Test
    void aMisspeltOutputOptionIsRefusedWithItsPlace() {
        assertThatThrownBy(
                        () ->
                                ConfigParser.parse(
                                        snapshot(
                                                ", \"output_options\": {\"feild_names\":"
                                                        + " [\"ClientIP\"]}")))
                .hasMessageContaining("jobs[1].output_options: unknown field 'feild_names'")
                .hasMessageContaining("did you mean field_names?");
    }

    @Test
    void anUnknownSnapshotFieldIsRefused() {
        assertThatThrownBy(
                        () ->
                                ConfigParser.parse(
                                        "{\"version\": 2, \"jbos\": [], \"jobs\": ["
                                                + String.format(JOB, "")
                                                + "]}"))
                .hasMessageContaining("unknown field 'jbos'")
                .hasMessageContaining("did you mean jobs?");
    }

    @Test
    void logpushFieldsSluiceIgnoresAreAcceptedAndThoseThatWouldChangeTheOutputRefused()
            throws Exception {
        ConfigSnapshot accepted =
                ConfigParser.parse(snapshot(", \"name\": \"edge logs\", \"frequency\": \"high\""));
        assertThat(accepted.jobs()).hasSize(2);

        assertThatThrownBy(
                        () -> ConfigParser.parse(snapshot(", \"logpull_options\": \"fields=a\"")))
                .hasMessageContaining("logpull_options is a Logpush field Sluice does not support")
                .hasMessageContaining("use output_options");
        assertThatThrownBy(
                        () ->
                                ConfigParser.parse(
                                        snapshot(
                                                ", \"output_options\": {\"record_template\":"
                                                        + " \"x\"}")))
                .hasMessageContaining("record_template is a Logpush field Sluice does not support");
    }

    @Test
    void anUpsertIsAsStrictAsASnapshot() {
        assertThatThrownBy(
                        () ->
                                ConfigUpdates.parse(
                                        "{\"version\": 3, \"upsert\": "
                                                + String.format(JOB, ", \"enabeld\": false")
                                                + "}"))
                .hasMessageContaining("upsert: unknown field 'enabeld'")
                .hasMessageContaining("did you mean enabled?");
        assertThatThrownBy(
                        () ->
                                ConfigUpdates.parse(
                                        "{\"version\": 3, \"delete\": 4, \"froce\": true}"))
                .hasMessageContaining("unknown field 'froce' in a delete");
    }

    @Test
    void aForcedSnapshotStillParses() throws Exception {
        assertThat(ConfigUpdates.parse(TestConfigs.version(5).job(1, "a").forced().json()))
                .isInstanceOf(ConfigUpdate.Snapshot.class);
    }
}
