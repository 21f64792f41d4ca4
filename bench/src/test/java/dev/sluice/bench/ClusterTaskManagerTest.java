package dev.sluice.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterTaskManagerTest {

    @Test
    void givesRocksDbTheManagedMemoryOfTheManifestsTaskManager() {
        // Flink's model: 0.4 of the Flink memory (the process less metaspace and JVM overhead).
        // docs/PERFORMANCE.md quotes this figure; a new Flink with another model changes it.
        assertThat(ClusterTaskManager.managedMemory().getMebiBytes()).isEqualTo(1372);
    }
}
