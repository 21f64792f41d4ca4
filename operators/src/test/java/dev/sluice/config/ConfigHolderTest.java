package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigHolderTest {

    @Test
    void aRestoredSnapshotWinsOnlyWhenNewerThanTheStartConfig() throws Exception {
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        state.put(ConfigHolder.SNAPSHOT_KEY, TestConfigs.version(5).job(1, "acme").json());

        assertThat(
                        new ConfigHolder(TestConfigs.version(3).job(2, "b").json())
                                .current(state)
                                .version())
                .isEqualTo(5);
        assertThat(
                        new ConfigHolder(TestConfigs.version(9).job(2, "b").json())
                                .current(state)
                                .version())
                .isEqualTo(9);
    }

    @Test
    void keepsTheLastKnownGoodOnStaleOrInvalidUpdates() throws Exception {
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        ConfigHolder holder = new ConfigHolder(TestConfigs.version(3).job(1, "acme").json());

        assertThat(holder.offer(TestConfigs.version(3).job(2, "b").json(), state).kind())
                .isEqualTo(ConfigVerdict.Kind.STALE);
        assertThat(holder.offer("{\"version\":4,\"jobs\":[]}", state).kind())
                .isEqualTo(ConfigVerdict.Kind.REJECTED);
        assertThat(state.get(ConfigHolder.SNAPSHOT_KEY)).isNull();
        assertThat(holder.current(state).job(1)).isPresent();

        assertThat(holder.offer(TestConfigs.version(4).job(2, "b").json(), state).kind())
                .isEqualTo(ConfigVerdict.Kind.ACCEPTED);
        assertThat(holder.current(state).job(1)).isEmpty();
        assertThat(state.get(ConfigHolder.SNAPSHOT_KEY)).contains("\"version\":4");
    }

    @Test
    void runsOnTheStoredConfigAloneOrRefusesToRunBlank() throws Exception {
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ConfigHolder(null).current(state))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no delivery config");

        state.put(ConfigHolder.SNAPSHOT_KEY, TestConfigs.version(5).job(1, "acme").json());

        assertThat(new ConfigHolder(null).current(state).job(1)).isPresent();
    }
}
