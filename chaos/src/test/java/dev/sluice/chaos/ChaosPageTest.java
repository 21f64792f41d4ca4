package dev.sluice.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chaos page, built from a small verdict without running a scenario. */
class ChaosPageTest {

    private static final List<double[]> RISING =
            List.of(new double[] {0, 1}, new double[] {1, 5}, new double[] {2, 9});

    @Test
    void drawsTheVerdictTableAndAChartPerRecordedSeriesWithItsEvents() throws Exception {
        Verdict verdict =
                new Verdict(
                        "incident",
                        List.of(
                                Check.equal("records lost", 0, 0),
                                Check.atMost("heap after GC, MiB", 300, 412)),
                        Map.of(
                                "heapAfterGcMiB", RISING,
                                "activeJobs", RISING,
                                "recordsRouted", RISING,
                                "events", List.<Object[]>of(new Object[] {1.0, "blank config"})));

        String html = ChaosPage.of(verdict).html();

        assertThat(html)
                .contains("Sluice chaos: incident", "FAILED", "records lost", "blank config")
                .contains("<tr class=\"fail\"><td>FAIL</td><td>heap after GC, MiB</td>")
                .contains("data-chart=\"heap\"", "data-chart=\"active-jobs\"")
                .contains("data-chart=\"delivered\"", "src=\"data:image/png;base64,")
                .doesNotContain("data-chart=\"restarts\"", "data-chart=\"objects\"")
                .doesNotContain("src=\"http", "<link");
    }
}
