package dev.sluice.tests;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link MetricSelectors} finds in the shapes the alert rules and the dashboard use. */
class MetricSelectorsTest {

    @Test
    void findsSelectorsWithTheirLabelsAndSkipsFunctionsLabelListsRangesAndKeywords() {
        assertThat(
                        MetricSelectors.of(
                                "sum by (job_name, flush) (rate(m_flush{flush=~\"a|b\"}[10m]))"
                                        + " / on (job_name) group_left max(cap) > bool 0.5"
                                        + " or recorded:ratio offset 1h unless absent(m_x) * 1e3"))
                .containsExactly("m_flush{flush=~\"a|b\"}", "cap", "recorded:ratio", "m_x");
    }
}
