package dev.sluice.bench;

import dev.sluice.local.page.Charts;
import dev.sluice.local.page.ReportPage;

import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bench report as one HTML page ({@code bin/sluice bench --html FILE}): the goals table and the
 * contenders' medians, then charts of records/s per contender over its runs, Sluice's ratios
 * against their goals, the visibility latency against its bound, and the scale runs by job count.
 */
public final class BenchPage {

    private BenchPage() {}

    /** The page of {@code report}. */
    public static ReportPage of(BenchReport report) throws IOException {
        ReportPage page = new ReportPage("Sluice bench, " + report.date());
        BenchReport.Machine m = report.machine();
        page.paragraph(
                String.format(
                        Locale.ROOT,
                        "%,d records of %,d customers; %d runs each after %d warm-up; %d cores,"
                                + " %s, heap %,d MiB, %s state, S3 server's objects %s",
                        report.input().records(),
                        report.input().customers(),
                        report.input().repeats(),
                        report.input().warmUpRuns(),
                        m.cores(),
                        m.java(),
                        m.maxHeapMiB(),
                        m.stateBackend(),
                        m.s3StorageText()),
                null);
        List<List<String>> goals = new ArrayList<>();
        for (BenchReport.Goal g : report.goals()) {
            goals.add(
                    List.of(
                            g.met() ? "met" : "NOT met",
                            g.name(),
                            num(g.target()),
                            num(g.value())));
        }
        page.table(List.of("", "goal", "target", "value"), goals);
        List<List<String>> contenders = new ArrayList<>();
        for (ContenderFigures c : report.contenders()) {
            contenders.add(
                    List.of(
                            c.name(),
                            String.format(Locale.ROOT, "%,.0f", c.recordsPerSecond()),
                            num(c.megabytesPerSecond()),
                            num(c.cpuCores()),
                            String.format(Locale.ROOT, "%.0f", c.heapAfterGcMiB()),
                            Integer.toString(c.runs().size())));
        }
        page.heading("Contenders (medians)")
                .table(
                        List.of(
                                "contender",
                                "records/s",
                                "MB/s",
                                "CPU cores",
                                "after GC MiB",
                                "runs"),
                        contenders);
        page.heading("Charts")
                .chart("throughput", throughput(report))
                .chart("ratios", ratios(report));
        if (report.latency() != null) {
            page.chart("latency", latency(report.latency()));
        }
        List<ScaleRun.Figures> scale =
                report.scale().stream().filter(s -> s.error() == null).toList();
        if (!scale.isEmpty()) {
            page.chart("scale-throughput", scaleThroughput(scale));
            page.chart("scale-heap", scaleHeap(scale));
        }
        return page;
    }

    /** Writes the page of {@code report} to {@code file}. */
    public static void write(BenchReport report, Path file) throws IOException {
        of(report).write(file);
    }

    private static JFreeChart throughput(BenchReport report) {
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        for (ContenderFigures c : report.contenders()) {
            runs.put(c.name(), c.runs().stream().map(RunFigures::recordsPerSecond).toList());
        }
        return Charts.boxes(
                "Records/s per contender, over its runs", "contender", "records/s", runs);
    }

    private static JFreeChart ratios(BenchReport report) {
        BenchReport.Ratios r = report.ratios();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(r.sluiceOverLimit(), "Sluice's ratio", "sluice_over_limit");
        data.addValue(r.sluiceOverNaive(), "Sluice's ratio", "sluice_over_naive");
        data.addValue(r.sluiceOverNaiveFiles(), "Sluice's ratio", "sluice_over_naive_files");
        for (BenchReport.Goal g : report.goals()) {
            if (g.name().startsWith("sluice_over")) {
                data.addValue(g.target(), "goal", g.name());
            }
        }
        return Charts.bars(
                "Sluice's records/s over the others', against the goals", "ratio", "times", data);
    }

    private static JFreeChart latency(LatencyProbe.Figures latency) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(latency.p50Millis() / 1e3, "seconds", "p50");
        data.addValue(latency.p99Millis() / 1e3, "seconds", "p99");
        data.addValue(latency.maxMillis() / 1e3, "seconds", "max");
        JFreeChart chart =
                Charts.bars(
                        String.format(
                                Locale.ROOT,
                                "Visibility latency at %,d records/s (%,d of %,d seen)",
                                latency.rate(),
                                latency.seen(),
                                latency.produced()),
                        "percentile",
                        "seconds",
                        data);
        Charts.rangeMarker(chart, latency.boundMillis() / 1e3, "goal: p99 at most this");
        return chart;
    }

    private static JFreeChart scaleThroughput(List<ScaleRun.Figures> scale) {
        List<double[]> rate = new ArrayList<>();
        for (ScaleRun.Figures s : scale) {
            rate.add(new double[] {s.jobs(), s.recordsPerSecond()});
        }
        JFreeChart chart =
                Charts.lines(
                        "Scale runs: records/s by delivery jobs in the config",
                        "jobs",
                        "records/s",
                        Map.of("records/s", rate),
                        List.of());
        Charts.logDomain(chart);
        return chart;
    }

    private static JFreeChart scaleHeap(List<ScaleRun.Figures> scale) {
        Map<String, List<double[]>> heap = new LinkedHashMap<>();
        heap.put("heap after GC", new ArrayList<>());
        heap.put("job heap", new ArrayList<>());
        for (ScaleRun.Figures s : scale) {
            heap.get("heap after GC").add(new double[] {s.jobs(), s.heapAfterGcMiB()});
            heap.get("job heap").add(new double[] {s.jobs(), s.jobHeapMiB()});
        }
        JFreeChart chart =
                Charts.lines(
                        "Scale runs: heap by delivery jobs in the config",
                        "jobs",
                        "MiB",
                        heap,
                        List.of());
        Charts.logDomain(chart);
        return chart;
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
