package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class VersionedConfigTest {

    private static ConfigUpdate update(String json) throws Exception {
        return ConfigUpdates.parse(json);
    }

    private static String upsert(long version, long id, String customer) {
        return "{\"version\":"
                + version
                + ",\"upsert\":{\"id\":"
                + id
                + ",\"customer_id\":\""
                + customer
                + "\",\"dataset\":\"http_requests\",\"destination_conf\":\"s3://logs-bucket/"
                + customer
                + "\"}}";
    }

    private static String delete(long version, long id) {
        return "{\"version\":" + version + ",\"delete\":" + id + "}";
    }

    @Test
    void anyOrderOfTheSameUpdatesGivesTheSameState() throws Exception {
        VersionedConfig start =
                VersionedConfig.of(
                        (ConfigUpdate.Snapshot)
                                update(
                                        TestConfigs.version(1)
                                                .job(1, "a")
                                                .job(2, "b")
                                                .job(3, "c")
                                                .json()));
        List<ConfigUpdate> updates =
                new ArrayList<>(
                        List.of(
                                update(
                                        TestConfigs.version(4)
                                                .job(1, "a")
                                                .job(2, "b2")
                                                .job(5, "e")
                                                .json()),
                                update(upsert(2, 3, "c2")),
                                update(upsert(5, 6, "f")),
                                update(upsert(3, 2, "b-old")),
                                update(delete(6, 1)),
                                update(delete(2, 5)),
                                update(upsert(7, 5, "e2")),
                                update(TestConfigs.version(3).job(9, "z").json())));
        VersionedConfig expected = applyAll(start, updates);
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            Collections.shuffle(updates, random);
            assertThat(applyAll(start, updates)).isEqualTo(expected);
        }
        assertThat(expected.liveJobs()).extracting(DeliveryJob::id).containsExactly(2L, 5L, 6L);
        assertThat(expected.liveJobs())
                .extracting(DeliveryJob::customerId)
                .containsExactly("b2", "e2", "f");
        assertThat(expected.version()).isEqualTo(7);
    }

    @Test
    void survivesItsStoredForm() throws Exception {
        VersionedConfig config =
                VersionedConfig.of(
                                (ConfigUpdate.Snapshot)
                                        update(TestConfigs.version(1).job(1, "a").json()))
                        .apply(update(delete(2, 1)))
                        .apply(update(upsert(3, 4, "d")));

        assertThat(VersionedConfig.fromStoredJson(config.toJson())).isEqualTo(config);
        assertThat(ActiveConfig.parse(config.toJson()).job(4)).isPresent();
    }

    @Test
    void readsAPlainSnapshotAsStoredByEarlierVersions() throws Exception {
        VersionedConfig config =
                VersionedConfig.fromStoredJson(TestConfigs.version(5).job(1, "a").json());

        assertThat(config.floor()).isEqualTo(5);
        assertThat(config.liveJobs()).extracting(DeliveryJob::id).containsExactly(1L);
    }

    private static VersionedConfig applyAll(VersionedConfig start, List<ConfigUpdate> updates) {
        VersionedConfig c = start;
        for (ConfigUpdate u : updates) {
            c = c.apply(u);
        }
        return c;
    }
}
