package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The config topic's keys, as its contract gives them. */
class ConfigUpdateTest {

    @Test
    void aSnapshotIsKeyedSnapshotAndAJobsChangeByTheJob() throws Exception {
        String job = TestConfigs.version(1).job(7, "acme").json();
        String upsert =
                "{\"version\": 2, \"upsert\": "
                        + job.substring(job.indexOf("[") + 1, job.lastIndexOf("]"))
                        + "}";

        assertThat(ConfigUpdates.parse(job).topicKey()).isEqualTo("snapshot");
        assertThat(ConfigUpdates.parse(upsert).topicKey()).isEqualTo("job/7");
        assertThat(ConfigUpdates.parse("{\"version\": 3, \"delete\": 7}").topicKey())
                .isEqualTo("job/7");
    }
}
