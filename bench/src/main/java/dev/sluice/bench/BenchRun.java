package dev.sluice.bench;

import dev.sluice.local.SampleConfig;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the contenders back to back on the same input, {@code repeats} rounds of limit, Sluice,
 * naive (to S3) and naive-files, then the latency probe and the scale runs, and gathers the report.
 */
public final class BenchRun {

    private static final long SEED = 14_11_2024L;

    private final BenchSettings settings;
    private final PrintStream out;

    public BenchRun(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public BenchReport run() throws Exception {
        BenchReport.Machine machine =
                BenchReport.Machine.current(settings.stateBackend(), settings.s3Storage());
        if (!machine.fixedHeap()) {
            out.printf(
                    Locale.ROOT,
                    "Note: the heap starts at %,d MiB of %,d MiB. A Flink TaskManager's starts at"
                            + " its maximum (-Xms = -Xmx), and bin/sluice bench sets -Xms4g -Xmx4g;"
                            + " a growing heap slows the first runs of every contender.%n",
                    machine.initialHeapMiB(),
                    machine.maxHeapMiB());
        }
        out.printf(
                Locale.ROOT,
                "Generating %,d records of %,d customers...%n",
                settings.records(),
                settings.customers());
        BenchInput input =
                BenchInput.generate(
                        settings.records(), SampleConfig.customers(settings.customers()), SEED);
        try (BenchServers servers =
                BenchServers.start(
                        settings.dataDir(),
                        settings.checkpointInterval(),
                        settings.stateBackend(),
                        settings.s3Storage())) {
            if (servers.s3Storage.medium() != settings.s3Storage()) {
                out.printf(
                        "Note: no tmpfs folder keeping extended attributes (/dev/shm on Linux 6.6"
                                + " or later); the S3 server keeps its objects on disk, which costs"
                                + " every contender writing to it CPU a remote store would not.%n");
            }
            BenchTopics.create(servers.kafka);
            input.produceTo(servers.kafka.bootstrapServers(), BenchTopics.INPUT);
            out.printf(
                    "Produced them to Kafka; %d rounds follow, Flink contenders on %s state.%n",
                    settings.repeats(), settings.stateBackend());
            return measure(servers, input);
        }
    }

    private BenchReport measure(BenchServers servers, BenchInput input) throws Exception {
        try {
            return measureContenders(servers, input);
        } finally {
            FlinkS3.reset();
        }
    }

    private BenchReport measureContenders(BenchServers servers, BenchInput input) throws Exception {
        String limitConfig = BenchConfig.snapshot(input.customers(), servers.s3, "bench-limit");
        LimitLoop limit = new LimitLoop(input, limitConfig);
        SluiceContender sluice = new SluiceContender(servers, input, BenchTopics.INPUT);
        NaiveContender naive =
                NaiveContender.toS3(servers, input, BenchTopics.INPUT, settings.pluginsDir());
        NaiveContender naiveFiles = NaiveContender.toFiles(servers, input, BenchTopics.INPUT);
        LimitLoop.Pass warmUp = limit.run();
        double ndjsonPerRecord = (double) warmUp.encodedBytes() / warmUp.records();
        List<RunFigures> limitRuns = new ArrayList<>();
        List<RunFigures> sluiceRuns = new ArrayList<>();
        List<RunFigures> naiveRuns = new ArrayList<>();
        List<RunFigures> naiveFilesRuns = new ArrayList<>();
        // The first Flink jobs of a JVM run at about half speed; counted, they would skew medians.
        for (int i = 1; i <= settings.warmUpRuns(); i++) {
            progress("sluice", "warm-up", sluice.run("warm-up-" + i));
            progress(naive.name(), "warm-up", naive.run("warm-up-" + i));
            progress(naiveFiles.name(), "warm-up", naiveFiles.run("warm-up-" + i));
        }
        for (int i = 1; i <= settings.repeats(); i++) {
            limitRuns.add(progress("limit", i, limitRun(limit)));
            sluiceRuns.add(progress("sluice", i, sluice.run(String.valueOf(i))));
            naiveRuns.add(progress(naive.name(), i, naive.run(String.valueOf(i))));
            naiveFilesRuns.add(progress(naiveFiles.name(), i, naiveFiles.run(String.valueOf(i))));
        }
        ContenderFigures limitFigures =
                ContenderFigures.of("limit", LimitLoop.DESCRIPTION, ndjsonPerRecord, limitRuns);
        ContenderFigures sluiceFigures =
                ContenderFigures.of(
                        "sluice", SluiceContender.DESCRIPTION, ndjsonPerRecord, sluiceRuns);
        ContenderFigures naiveFigures =
                ContenderFigures.of(naive.name(), naive.description(), ndjsonPerRecord, naiveRuns);
        ContenderFigures naiveFilesFigures =
                ContenderFigures.of(
                        naiveFiles.name(),
                        naiveFiles.description(),
                        ndjsonPerRecord,
                        naiveFilesRuns);
        List<ContenderFigures> contenders =
                List.of(limitFigures, sluiceFigures, naiveFigures, naiveFilesFigures);
        double sluiceRate = sluiceFigures.recordsPerSecond();
        BenchReport.Ratios ratios =
                new BenchReport.Ratios(
                        sluiceRate / limitFigures.recordsPerSecond(),
                        sluiceRate / naiveFigures.recordsPerSecond(),
                        sluiceRate / naiveFilesFigures.recordsPerSecond());
        LatencyProbe.Figures latency = latency(servers, input);
        List<ScaleRun.Figures> scale = scale(servers);
        return new BenchReport(
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                BenchReport.Machine.current(settings.stateBackend(), servers.s3Storage.medium()),
                new BenchReport.Input(
                        input.size(),
                        input.customers().size(),
                        input.avroBytes(),
                        (double) input.avroBytes() / input.size(),
                        ndjsonPerRecord,
                        settings.repeats(),
                        settings.warmUpRuns(),
                        settings.scaleWarmUpRuns(),
                        settings.checkpointInterval().toMillis() / 1e3,
                        LatencyProbe.BATCH_INTERVAL.toSeconds()),
                contenders,
                ratios,
                latency,
                scale,
                BenchGoals.of(ratios, latency, scale));
    }

    private RunFigures limitRun(LimitLoop limit) throws Exception {
        ResourceMeter.collectGarbage();
        ResourceMeter meter = ResourceMeter.start();
        LimitLoop.Pass pass = limit.run();
        ResourceMeter.Usage usage = meter.stop();
        return RunFigures.of(pass.records(), pass.nanos() / 1e9, usage, 0, pass.compressedBytes());
    }

    private RunFigures progress(String name, int round, RunFigures run) {
        return progress(name, round + "/" + settings.repeats(), run);
    }

    private RunFigures progress(String name, String round, RunFigures run) {
        out.printf(
                Locale.ROOT,
                "[%-11s %s] %,10.0f records/s in %.2f s, %.2f CPU cores, heap peak %.0f MiB,"
                        + " after GC %.0f MiB%n",
                name,
                round,
                run.recordsPerSecond(),
                run.seconds(),
                run.cpuCores(),
                run.peakHeapBytes() / (1024.0 * 1024.0),
                run.peakHeapAfterGcBytes() / (1024.0 * 1024.0));
        return run;
    }

    private LatencyProbe.Figures latency(BenchServers servers, BenchInput input) throws Exception {
        if (settings.latencyDuration().isZero()) {
            return null;
        }
        out.printf(
                Locale.ROOT,
                "Latency probe: %,d records/s for %d s, then waiting for every one to be"
                        + " visible...%n",
                settings.latencyRate(),
                settings.latencyDuration().toSeconds());
        return new LatencyProbe(servers, input)
                .run(settings.latencyRate(), settings.latencyDuration());
    }

    private List<ScaleRun.Figures> scale(BenchServers servers) throws Exception {
        List<ScaleRun.Figures> figures = new ArrayList<>();
        ScaleRun scale = new ScaleRun(servers, settings.scaleRecords());
        warmUp(scale);
        for (int jobs : settings.scaleJobs()) {
            out.printf(
                    Locale.ROOT,
                    "Scale: %,d jobs, %,d records, RocksDB...%n",
                    jobs,
                    settings.scaleRecords());
            ScaleRun.Figures f = scale.run(jobs);
            out.printf(
                    Locale.ROOT,
                    "[scale %,d] %,.0f records/s, heap peak %.0f MiB, after GC %.0f MiB, job heap"
                            + " %.0f MiB (its full collection stopped the job %.0f ms), state"
                            + " %.1f MB%s%n",
                    jobs,
                    f.recordsPerSecond(),
                    f.peakHeapMiB(),
                    f.heapAfterGcMiB(),
                    f.jobHeapMiB(),
                    f.heapReadingPauseSeconds() * 1e3,
                    f.stateBytes() / 1e6,
                    f.error() == null ? "" : ", failed: " + f.error());
            figures.add(f);
        }
        return figures;
    }

    /**
     * Runs the scale run's job a few times uncounted: the contenders' runs warm the JIT for their
     * input, not for the scale run's paths, and a scale run first in a JVM (a million jobs is run
     * alone) measured at about half its pace.
     */
    private void warmUp(ScaleRun scale) throws Exception {
        if (settings.scaleJobs().isEmpty()) {
            return;
        }
        int jobs =
                Math.min(
                        ScaleRun.ACTIVE_JOBS,
                        settings.scaleJobs().stream().mapToInt(Integer::intValue).min().getAsInt());
        for (int i = 1; i <= settings.scaleWarmUpRuns(); i++) {
            ScaleRun.Figures f = scale.warmUp(jobs);
            out.printf(
                    Locale.ROOT,
                    "[scale warm-up %,d] %,.0f records/s%s%n",
                    jobs,
                    f.recordsPerSecond(),
                    f.error() == null ? "" : ", failed: " + f.error());
        }
    }
}
