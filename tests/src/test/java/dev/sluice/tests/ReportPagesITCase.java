package dev.sluice.tests;

import dev.sluice.bench.BenchPage;
import dev.sluice.bench.BenchReport;
import dev.sluice.chaos.ChaosPage;
import dev.sluice.chaos.Check;
import dev.sluice.chaos.Verdict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos and bench pages ({@code --html}) opened in a real browser, headless Chromium (Debian's
 * {@code chromium}; {@code .ci/run} installs it): each renders without a script error, and every
 * chart's image decodes. The pages and their screenshots stay under {@code target/report-pages/} as
 * build artifacts to look at.
 */
class ReportPagesITCase {

    private static final Path OUT = Path.of("target/report-pages");

    /** A bench report of a small, made-up run. */
    private static final String BENCH_REPORT = "/reports/bench-report.json";

    @TempDir Path profiles;

    @Test
    void theChaosPageRendersEveryChart() throws Exception {
        Path page = OUT.resolve("chaos-sample.html");
        ChaosPage.write(smallVerdict(), page);

        assertRenders(page, List.of("heap", "active-jobs", "delivered", "objects", "restarts"));
    }

    @Test
    void theBenchPageRendersEveryChart() throws Exception {
        Path report = Files.createDirectories(OUT).resolve("bench-report.json");
        try (var in = ReportPagesITCase.class.getResourceAsStream(BENCH_REPORT)) {
            Files.write(report, in.readAllBytes());
        }
        Path page = OUT.resolve("bench-sample.html");
        BenchPage.write(BenchReport.read(report), page);

        assertRenders(
                page, List.of("throughput", "ratios", "latency", "scale-throughput", "scale-heap"));
    }

    private void assertRenders(Path page, List<String> charts) throws Exception {
        HeadlessChromium chromium = new HeadlessChromium(profiles);
        HeadlessChromium.Output dom = chromium.dumpDom(page);
        for (String chart : charts) {
            assertThat(dom.dom())
                    .as("chart %s drawn in %s", chart, page)
                    .containsPattern(
                            "<figure data-chart=\"" + chart + "\"[^>]* data-rendered=\"true\"");
        }
        assertThat(dom.dom()).as("a chart that failed").doesNotContain("data-error");
        assertThat(dom.log()).as("script errors of %s", page).doesNotContain("Uncaught");
        Path png = page.resolveSibling(page.getFileName().toString().replace(".html", ".png"));
        chromium.screenshot(page, png, 2400);
        assertThat(png).as("screenshot").isNotEmptyFile();
    }

    private static Verdict smallVerdict() {
        List<double[]> heap = new ArrayList<>();
        List<double[]> active = new ArrayList<>();
        List<double[]> routed = new ArrayList<>();
        List<double[]> staged = new ArrayList<>();
        List<double[]> objects = new ArrayList<>();
        List<double[]> restarts = new ArrayList<>();
        for (int t = 0; t <= 60; t += 2) {
            heap.add(new double[] {t, 150 + (t > 20 && t < 40 ? 120 : 0) + t % 7});
            active.add(new double[] {t, t > 20 && t < 40 ? 10_000 : 40});
            routed.add(new double[] {t, t * 1_000.0});
            staged.add(new double[] {t, Math.max(0, t - 4) * 1_000.0});
            objects.add(new double[] {t, t * 3.0});
            restarts.add(new double[] {t, t > 45 ? 1 : 0});
        }
        return new Verdict(
                "incident",
                List.of(
                        Check.equal("configured records lost", 0, 0),
                        Check.atMost("heap after GC, MiB", 300, 290)),
                Map.of(
                        "heapAfterGcMiB",
                        heap,
                        "activeJobs",
                        active,
                        "recordsRouted",
                        routed,
                        "recordsStaged",
                        staged,
                        "objectsCommitted",
                        objects,
                        "restarts",
                        restarts,
                        "events",
                        List.<Object[]>of(
                                new Object[] {20.0, "blank config and flood"},
                                new Object[] {40.0, "flood ends"})));
    }
}
