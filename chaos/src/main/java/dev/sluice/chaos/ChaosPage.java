package dev.sluice.chaos;

import dev.sluice.local.page.Charts;
import dev.sluice.local.page.ReportPage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario's verdict as one HTML page ({@code bin/sluice chaos SCENARIO --html FILE}): the
 * verdict table, then the series the recorder sampled as charts over the run's seconds, with the
 * scenario's events marked. Series a scenario did not record are left out.
 */
public final class ChaosPage {

    /** A chart: its id on the page, title, value axis, and the series it draws. */
    private record Chart(String id, String title, String axis, List<String> series) {}

    static final List<Chart> CHARTS =
            List.of(
                    new Chart("heap", "Heap after GC", "MiB", List.of("heapAfterGcMiB")),
                    new Chart(
                            "active-jobs",
                            "Open batches (active jobs)",
                            "batches",
                            List.of("activeJobs")),
                    new Chart(
                            "delivered",
                            "Records routed and staged for delivery",
                            "records",
                            List.of("recordsRouted", "recordsStaged")),
                    new Chart(
                            "objects", "Objects committed", "objects", List.of("objectsCommitted")),
                    new Chart("restarts", "Job restarts", "restarts", List.of("restarts")));

    private ChaosPage() {}

    /** The page of {@code verdict}. */
    public static ReportPage of(Verdict verdict) throws IOException {
        ReportPage page = new ReportPage("Sluice chaos: " + verdict.scenario());
        page.paragraph(
                verdict.passed() ? "PASSED" : "FAILED",
                verdict.passed() ? "verdict-passed" : "verdict-failed");
        List<List<String>> rows = new ArrayList<>();
        for (Check c : verdict.checks()) {
            rows.add(List.of(c.passed() ? "ok" : "FAIL", c.check(), c.expected(), c.observed()));
        }
        page.table(List.of("", "check", "expected", "observed"), rows);
        List<Charts.Event> events = events(verdict.series().get("events"));
        page.heading("Over the run");
        if (!events.isEmpty()) {
            List<List<String>> marks = new ArrayList<>();
            for (Charts.Event e : events) {
                marks.add(List.of(String.format(Locale.ROOT, "%.1f s", e.seconds()), e.label()));
            }
            page.table(List.of("at", "event"), marks);
        }
        for (Chart chart : CHARTS) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (String name : chart.series()) {
                List<double[]> points = points(verdict.series().get(name));
                if (!points.isEmpty()) {
                    series.put(name, points);
                }
            }
            if (!series.isEmpty()) {
                page.chart(
                        chart.id(),
                        Charts.lines(chart.title(), "seconds", chart.axis(), series, events));
            }
        }
        return page;
    }

    /** Writes the page of {@code verdict} to {@code file}. */
    public static void write(Verdict verdict, Path file) throws IOException {
        of(verdict).write(file);
    }

    /** A recorder series: {@code [seconds, value]} pairs. */
    private static List<double[]> points(Object series) {
        List<double[]> points = new ArrayList<>();
        if (series instanceof List<?>) {
            for (Object p : (List<?>) series) {
                if (p instanceof double[] && ((double[]) p).length == 2) {
                    points.add((double[]) p);
                }
            }
        }
        return points;
    }

    /** The recorder's events: {@code [seconds, label]} pairs. */
    private static List<Charts.Event> events(Object series) {
        List<Charts.Event> events = new ArrayList<>();
        if (series instanceof List<?>) {
            for (Object e : (List<?>) series) {
                if (e instanceof Object[] && ((Object[]) e).length == 2) {
                    Object[] pair = (Object[]) e;
                    events.add(
                            new Charts.Event(
                                    ((Number) pair[0]).doubleValue(), String.valueOf(pair[1])));
                }
            }
        }
        return events;
    }
}
