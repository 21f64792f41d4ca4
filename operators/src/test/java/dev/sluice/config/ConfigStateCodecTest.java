package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored form of the merged config, and the plain JSON that earlier versions stored. */
class ConfigStateCodecTest {

    private static VersionedConfig manyJobs(int jobs) throws Exception {
        TestConfigs config = TestConfigs.version(3);
        for (int i = 1; i <= jobs; i++) {
            config.job(i, "customer-" + i);
        }
        return VersionedConfig.of((ConfigUpdate.Snapshot) ConfigUpdates.parse(config.json()))
                .apply(ConfigUpdates.parse("{\"version\":4,\"delete\":2}"));
    }

    @Test
    void readsBackWhatItWrote() throws Exception {
        VersionedConfig config = manyJobs(50);

        String stored = ConfigStateCodec.write(config);

        assertThat(stored).startsWith(ConfigStateCodec.PREFIX).matches("[\\x20-\\x7e]+");
        assertThat(ConfigStateCodec.read(stored)).isEqualTo(config);
        assertThat(ConfigStateCodec.read(stored).liveJobs()).hasSize(49);
    }

    @Test
    void isAFractionOfThePlainJson() throws Exception {
        VersionedConfig config = manyJobs(2_000);

        assertThat(ConfigStateCodec.write(config).length())
                .isLessThan(config.toJson().length() / 10);
    }

    @Test
    void readsThePlainJsonOfEarlierVersions() throws Exception {
        VersionedConfig config = manyJobs(3);

        assertThat(ConfigStateCodec.read(config.toJson())).isEqualTo(config);
        assertThat(ConfigStateCodec.read(TestConfigs.version(5).job(1, "a").json()).floor())
                .isEqualTo(5);
    }

    @Test
    void refusesAValueItCannotDecode() {
        assertThatThrownBy(() -> ConfigStateCodec.read(ConfigStateCodec.PREFIX + "bm90IHpzdGQ="))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("stored config state is unreadable");
        assertThatThrownBy(() -> ConfigStateCodec.read(ConfigStateCodec.PREFIX + "!!"))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> ConfigStateCodec.read("not json"))
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void jobsWithEqualOutputOptionsShareOneInstanceOnceRead() throws Exception {
        VersionedConfig read = ConfigStateCodec.read(ConfigStateCodec.write(manyJobs(3)));

        assertThat(read.liveJobs().get(0).outputOptions())
                .isSameAs(read.liveJobs().get(1).outputOptions());
    }
}
