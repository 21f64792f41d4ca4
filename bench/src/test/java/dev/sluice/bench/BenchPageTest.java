package dev.sluice.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench page, built from a small report without running the bench. */
class BenchPageTest {

    static BenchReport smallReport() {
        RunFigures fast =
                new RunFigures(
                        2.0, 50_000, 3.0, 2.1, 400L << 20, 120L << 20, 40, 1 << 20, Map.of());
        RunFigures slow =
                new RunFigures(
                        2.5, 40_000, 3.1, 2.6, 420L << 20, 125L << 20, 40, 1 << 20, Map.of());
        RunFigures limit =
                new RunFigures(1.0, 100_000, 1.0, 1.0, 200L << 20, 60L << 20, 0, 0, Map.of());
        BenchReport.Ratios ratios = new BenchReport.Ratios(0.45, 1.8, 1.2);
        LatencyProbe.Figures latency =
                new LatencyProbe.Figures(2_000, 30, 60_000, 60_000, 2_400, 4_100, 5_300, 10_000);
        List<ScaleRun.Figures> scale =
                List.of(scaleRun(1_000, 90_000, 150, 2), scaleRun(100_000, 70_000, 420, 180));
        return new BenchReport(
                "2026-12-06",
                new BenchReport.Machine(2, "OpenJDK 17", 2048, 2048, "rocksdb", "memory"),
                new BenchReport.Input(100_000, 200, 20_000_000, 200, 420, 2, 1, 3, 2, 5),
                List.of(
                        ContenderFigures.of("limit", "the loop", 420, List.of(limit)),
                        ContenderFigures.of("sluice", "the job", 420, List.of(fast, slow)),
                        ContenderFigures.of("naive", "FileSink", 420, List.of(slow))),
                ratios,
                latency,
                scale,
                BenchGoals.of(ratios, latency, scale));
    }

    private static ScaleRun.Figures scaleRun(int jobs, double rate, double heap, double jobHeap) {
        return new ScaleRun.Figures(
                jobs,
                jobs * 300L,
                100_000,
                jobs,
                1.5,
                rate,
                1.2,
                heap * 2,
                heap,
                jobHeap,
                0.2,
                3,
                1 << 20,
                1 << 20,
                120,
                80,
                null);
    }

    @Test
    void drawsTheGoalsAndAChartOfEachMeasurement() throws Exception {
        String html = BenchPage.of(smallReport()).html();

        assertThat(html)
                .contains(
                        "Sluice bench, 2026-12-06", "sluice_over_limit", "NOT met", "rocksdb state")
                .contains("S3 server's objects in memory")
                .contains("data-chart=\"throughput\"", "data-chart=\"ratios\"")
                .contains("data-chart=\"latency\"", "data-chart=\"scale-throughput\"")
                .contains("data-chart=\"scale-heap\"", "src=\"data:image/png;base64,");
    }

    /** A page can be drawn again from the JSON report of an earlier run. */
    @Test
    void aWrittenReportReadsBackEqual(@TempDir Path dir) throws Exception {
        BenchReport report = smallReport();
        report.write(dir.resolve("bench.json"));

        assertThat(BenchReport.read(dir.resolve("bench.json"))).isEqualTo(report);
    }
}
