package dev.sluice.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * What {@code bin/sluice bench} found: every contender's runs and medians, Sluice's ratios to the
 * limit and to the naive job (to S3, and to local files), visibility latency, the scale runs, and
 * the goals. Written as JSON (snake_case names) and printed as a table.
 *
 * @param latency null when the probe was not run
 */
public record BenchReport(
        String date,
        Machine machine,
        Input input,
        List<ContenderFigures> contenders,
        Ratios ratios,
        LatencyProbe.Figures latency,
        List<ScaleRun.Figures> scale,
        List<Goal> goals) {

    /**
     * Where it ran.
     *
     * @param s3Storage where the S3 server kept its objects: {@code memory} or {@code disk}
     */
    public record Machine(
            int cores,
            String java,
            @JsonProperty("max_heap_mib") long maxHeapMiB,
            @JsonProperty("initial_heap_mib") long initialHeapMiB,
            @JsonProperty("state_backend") String stateBackend,
            @JsonProperty("s3_storage") String s3Storage) {
        static Machine current(String stateBackend, S3Storage.Medium s3Storage) {
            Runtime rt = Runtime.getRuntime();
            return new Machine(
                    rt.availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    rt.maxMemory() / (1024 * 1024),
                    initialHeapBytes() / (1024 * 1024),
                    stateBackend,
                    s3Storage.name());
        }

        /** Where the S3 server kept its objects, as a sentence says it: in memory, on disk. */
        String s3StorageText() {
            return S3Storage.Medium.memory.name().equals(s3Storage) ? "in memory" : "on disk";
        }

        /**
         * Whether the heap starts at its maximum, as a Flink TaskManager's does ({@code -Xms} =
         * {@code -Xmx}); below it, the first runs also pay for the heap's growth.
         */
        boolean fixedHeap() {
            return initialHeapMiB >= maxHeapMiB;
        }

        static long initialHeapBytes() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit();
        }
    }

    /**
     * The input every contender got.
     *
     * @param ndjsonBytesPerRecord what Sluice's encoder writes per record (the MB/s unit)
     */
    public record Input(
            int records,
            int customers,
            long avroBytes,
            double avroBytesPerRecord,
            double ndjsonBytesPerRecord,
            int repeats,
            int warmUpRuns,
            int scaleWarmUpRuns,
            double checkpointIntervalSeconds,
            double batchIntervalSeconds) {}

    /**
     * Sluice's median records/s over the limit's and over the naive job's.
     *
     * @param sluiceOverNaive over the naive job writing to the same S3 server (like for like)
     * @param sluiceOverNaiveFiles over the naive job writing local files (no store round trips)
     */
    public record Ratios(
            double sluiceOverLimit, double sluiceOverNaive, double sluiceOverNaiveFiles) {}

    /** A goal the benchmark reports on (never asserts). */
    public record Goal(String name, double target, double value, boolean met) {}

    /** Parts a contender's CPU line names; the rest, each smaller, stay in the report's JSON. */
    private static final int CPU_PARTS_SHOWN = 8;

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT);

    void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /** Reads a report {@link #write} wrote, e.g. to draw its page again. */
    public static BenchReport read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), BenchReport.class);
    }

    String toJson() throws IOException {
        return JSON.writeValueAsString(this);
    }

    void print(PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%nInput: %,d records of %,d customers, %.0f bytes Avro / %.0f bytes NDJSON a"
                        + " record; %d runs each after %d warm-up, medians; %d cores; heap %,d"
                        + " MiB from %,d MiB; %s state; S3 server's objects %s%n%n",
                input.records(),
                input.customers(),
                input.avroBytesPerRecord(),
                input.ndjsonBytesPerRecord(),
                input.repeats(),
                input.warmUpRuns(),
                machine.cores(),
                machine.maxHeapMiB(),
                machine.initialHeapMiB(),
                machine.stateBackend(),
                machine.s3StorageText());
        out.printf(
                "%-11s %12s %8s %8s %10s %10s %10s %9s  %s%n",
                "",
                "records/s",
                "MB/s",
                "s/run",
                "CPU cores",
                "heap MiB",
                "after GC",
                "objects",
                "runs, records/s");
        for (ContenderFigures c : contenders) {
            out.printf(
                    Locale.ROOT,
                    "%-11s %,12.0f %8.1f %8.2f %10.2f %10.0f %10.0f %,9d  %s%n",
                    c.name(),
                    c.recordsPerSecond(),
                    c.megabytesPerSecond(),
                    c.seconds(),
                    c.cpuCores(),
                    c.peakHeapMiB(),
                    c.heapAfterGcMiB(),
                    c.runs().isEmpty() ? 0 : c.runs().get(0).objects(),
                    runs(c));
        }
        printCpuByPart(out);
        out.printf(
                Locale.ROOT,
                "%nSluice / L = %.2f    Sluice / Naive (S3) = %.2f    Sluice / Naive (local"
                        + " files) = %.2f%n",
                ratios.sluiceOverLimit(),
                ratios.sluiceOverNaive(),
                ratios.sluiceOverNaiveFiles());
        if (latency != null) {
            out.printf(
                    Locale.ROOT,
                    "Visibility latency at %,d records/s for %.0f s: p50 %.1f s, p99 %.1f s, max"
                            + " %.1f s (%,d of %,d seen; goal p99 <= %.0f s)%n",
                    latency.rate(),
                    latency.seconds(),
                    latency.p50Millis() / 1e3,
                    latency.p99Millis() / 1e3,
                    latency.maxMillis() / 1e3,
                    latency.seen(),
                    latency.produced(),
                    latency.boundMillis() / 1e3);
        }
        printScale(out);
        out.println();
        for (Goal g : goals) {
            out.printf(
                    Locale.ROOT,
                    "goal %-28s target %-10s value %-10s %s%n",
                    g.name(),
                    String.format(Locale.ROOT, "%.2f", g.target()),
                    String.format(Locale.ROOT, "%.2f", g.value()),
                    g.met() ? "met" : "NOT met");
        }
    }

    /** Where each contender's median run spent its CPU, by part of the setup, most first. */
    private void printCpuByPart(PrintStream out) {
        List<String> lines = new ArrayList<>();
        for (ContenderFigures c : contenders) {
            c.medianRun()
                    .filter(r -> !r.cpuSecondsByPart().isEmpty())
                    .ifPresent(r -> lines.add(cpuLine(c.name(), r)));
        }
        if (!lines.isEmpty()) {
            out.printf(
                    "%nCPU seconds of each contender's median run (from its job's start to its"
                            + " end), by part (threads' clocks):%n");
            lines.forEach(out::println);
        }
    }

    private static String cpuLine(String contender, RunFigures run) {
        StringJoiner parts = new StringJoiner(" · ");
        run.cpuSecondsByPart().entrySet().stream()
                .limit(CPU_PARTS_SHOWN)
                .forEach(
                        e ->
                                parts.add(
                                        String.format(
                                                Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())));
        return String.format(Locale.ROOT, "%-11s %.1f: %s", contender, run.cpuSeconds(), parts);
    }

    private void printScale(PrintStream out) {
        if (scale.isEmpty()) {
            return;
        }
        out.printf(
                Locale.ROOT,
                "%nScale runs (RocksDB), each after %d uncounted warm-up run(s):%n",
                input.scaleWarmUpRuns());
        out.printf(
                "%-9s %10s %9s %11s %10s %10s %10s %10s %10s %11s %12s %11s%n",
                "jobs",
                "config MB",
                "active",
                "records/s",
                "heap MiB",
                "after GC",
                "job heap",
                "its GC ms",
                "CPU cores",
                "state MB",
                "checkpoints",
                "ckpt ms max");
        for (ScaleRun.Figures s : scale) {
            if (s.error() != null) {
                out.printf(
                        Locale.ROOT,
                        "%,9d %10.1f  failed: %s%n",
                        s.jobs(),
                        s.configBytes() / 1e6,
                        s.error());
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "%,9d %10.1f %,9d %,11.0f %10.0f %10.0f %10.0f %10.0f %10.2f %11.2f %12d"
                            + " %11d%n",
                    s.jobs(),
                    s.configBytes() / 1e6,
                    s.activeJobs(),
                    s.recordsPerSecond(),
                    s.peakHeapMiB(),
                    s.heapAfterGcMiB(),
                    s.jobHeapMiB(),
                    s.heapReadingPauseSeconds() * 1e3,
                    s.cpuCores(),
                    s.stateBytes() / 1e6,
                    s.checkpoints(),
                    s.checkpointMillisMax());
        }
    }

    private static String runs(ContenderFigures c) {
        StringBuilder s = new StringBuilder();
        for (RunFigures r : c.runs()) {
            s.append(s.length() == 0 ? "" : " · ")
                    .append(String.format(Locale.ROOT, "%,.0f", r.recordsPerSecond()));
        }
        return s.toString();
    }
}
