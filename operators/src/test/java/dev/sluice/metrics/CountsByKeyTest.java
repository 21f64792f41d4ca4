package dev.sluice.metrics;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class CountsByKeyTest {

    @Test
    void countsPerKeyAndReportsThemAsAMapOfLongs() {
        CountsByKey counts = new CountsByKey();
        counts.add("7");
        counts.add("7");
        counts.add("8", 5);

        assertThat(counts.getLocalValue()).isEqualTo(Map.of("7", 2L, "8", 5L));
    }

    @Test
    void mergesAndClonesWithoutSharingCounts() {
        CountsByKey a = new CountsByKey();
        a.add("7", 2);
        CountsByKey b = new CountsByKey();
        b.add("7", 3);
        b.add("9");

        CountsByKey copy = a.clone();
        a.merge(b);
        copy.add("7");
        b.resetLocal();

        assertThat(a.getLocalValue()).isEqualTo(Map.of("7", 5L, "9", 1L));
        assertThat(copy.getLocalValue()).as("a clone counts apart").isEqualTo(Map.of("7", 3L));
        assertThat(b.getLocalValue()).isEmpty();
    }

    @Test
    void aCellCountsForItsKeyAndGoesOnCountingAfterAReset() {
        CountsByKey counts = new CountsByKey();
        CountsByKey.Count seven = counts.cell("7");
        seven.increment();
        seven.add(2);
        counts.add("7");
        assertThat(counts.cell("7")).isSameAs(seven);
        assertThat(counts.getLocalValue()).isEqualTo(Map.of("7", 4L));

        counts.resetLocal();
        assertThat(counts.getLocalValue()).as("zero counts are not reported").isEmpty();
        seven.increment();
        assertThat(counts.getLocalValue()).isEqualTo(Map.of("7", 1L));
        assertThat(counts.clone().getLocalValue()).isEqualTo(Map.of("7", 1L));
    }

    /**
     * Flink serializes a task's accumulators for the heartbeat on a thread of its own while the
     * task counts on: a snapshot taken while new keys arrive must read back whole, each key with
     * its count (a HashMap serialized while it grew wrote fewer entries than it said, or failed).
     */
    @Test
    void serializesWhileTheTaskThreadAddsKeys() throws Exception {
        CountsByKey counts = new CountsByKey();
        CompletableFuture<Void> task =
                CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < 300_000; i++) {
                                counts.add("job-" + i);
                            }
                        });
        int snapshots = 0;
        while (!task.isDone() || snapshots == 0) {
            byte[] bytes = InstantiationUtil.serializeObject(counts);
            CountsByKey read =
                    InstantiationUtil.deserializeObject(bytes, getClass().getClassLoader());
            assertThat(read.getLocalValue()).allSatisfy((key, n) -> assertThat(n).isOne());
            snapshots++;
        }
        task.join();
        assertThat(counts.getLocalValue()).hasSize(300_000);
    }
}
