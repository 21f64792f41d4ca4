package dev.sluice.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;

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
}
