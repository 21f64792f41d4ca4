package dev.sluice.bench;

import dev.sluice.jobs.DurationConverter;
import dev.sluice.local.FileTrees;
import dev.sluice.local.RunOptions;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bin/sluice bench}: end-to-end throughput of Sluice against the byte-work limit and a naive
 * Flink job, visibility latency, and scale with many jobs. See docs/PERFORMANCE.md.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the same generated input through L (the job's byte work in one thread, no",
            "Flink, no Kafka), Sluice end to end (Kafka -> objects in an S3 server, exactly",
            "once), a naive Flink job writing to the same S3 server with FileSink, and the same",
            "naive job writing local files, back to back, --repeats times each after a warm-up",
            "run, and reports medians, Sluice's ratios, visibility latency and the scale runs."
        })
public final class BenchCommand implements Callable<Integer> {

    @Mixin RunOptions run;

    @Spec CommandSpec spec;

    @Option(
            names = "--records",
            description = "Input records (default: 1,000,000; --quick 50,000).")
    Integer records;

    @Option(
            names = "--customers",
            description = "Customers, one delivery job each (default: 2,000; --quick 200).")
    Integer customers;

    @Option(
            names = "--repeats",
            description =
                    "Counted runs of each contender (default: 3; --quick 1, after its warm-up).")
    Integer repeats;

    @Option(
            names = "--warm-up-runs",
            description =
                    "Uncounted runs of each Flink contender before the counted ones, since a"
                            + " JVM's first Flink jobs run at about half speed and reach their"
                            + " pace by the third (default: 3; --quick 1).")
    Integer warmUpRuns;

    @Option(
            names = "--scale",
            split = ",",
            description =
                    "Configured jobs of each scale run, e.g. 10000,100000,1000000 (default:"
                            + " 10000,100000; --quick none; 0 for none).")
    List<Integer> scale;

    @Option(
            names = "--scale-records",
            description =
                    "Input records of each scale run, spread over at most 1,000 of its jobs"
                            + " (default: 100,000).")
    Integer scaleRecords;

    @Option(
            names = "--scale-warm-up-runs",
            description =
                    "Uncounted scale runs of 1,000 jobs (or the smallest scale run's, if fewer)"
                            + " before the counted ones, so that each counted one finds the JIT"
                            + " as warm as the contenders do: run first in a JVM, a scale run"
                            + " measured at half its pace (default: 5; --quick 1).")
    Integer scaleWarmUpRuns;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "The Flink contenders' checkpoint interval (default: 10s; --quick 2s).")
    Duration checkpointInterval;

    @Option(
            names = "--latency-rate",
            description = "Records/s of the latency probe (default: 2,000; --quick 1,000).")
    Long latencyRate;

    @Option(
            names = "--latency-duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long the latency probe produces (default: 30s; --quick 5s; 0 skips it).")
    Duration latencyDuration;

    @Option(
            names = "--state-backend",
            paramLabel = "rocksdb|hashmap",
            description =
                    "The Flink contenders' state backend: rocksdb with incremental checkpoints, as"
                            + " flink-conf/cluster and the Kubernetes manifest run Sluice, or"
                            + " hashmap, heap state (default: rocksdb).")
    StateBackendChoice stateBackend = StateBackendChoice.rocksdb;

    @Option(
            names = "--s3-storage",
            paramLabel = "memory|disk",
            description =
                    "Where the bench's S3 server keeps objects: memory (a tmpfs folder, /dev/shm,"
                            + " when it keeps extended attributes; else disk, with a note) or"
                            + " disk, the working directory. It stands in for a remote store,"
                            + " whose disk is not the pipeline's cost (default: memory).")
    S3Storage.Medium s3Storage = S3Storage.Medium.memory;

    /** The backends the bench runs on, named as Flink's {@code state.backend.type} names them. */
    enum StateBackendChoice {
        rocksdb,
        hashmap
    }

    @Option(
            names = "--plugins-dir",
            description =
                    "Flink plugins folder holding s3-fs-hadoop/ (Flink's S3 file system, for the"
                            + " naive job; default: $FLINK_PLUGINS_DIR, else plugins/ beside the"
                            + " sluice-local jar, which the build fills).")
    Path pluginsDir;

    public static void main(String[] args) {
        quietNoise();
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        checkCounts();
        boolean temporary = run.dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("sluice-bench") : run.dataDir;
        try {
            BenchReport result = new BenchRun(settings(dir), System.out).run();
            result.print(System.out);
            if (run.report != null) {
                result.write(run.report);
                System.out.printf("%nReport written to %s%n", run.report);
            }
            if (run.html != null) {
                BenchPage.write(result, run.html);
                System.out.printf("Page written to %s%n", run.html);
            }
            return 0;
        } finally {
            if (temporary) {
                FileTrees.deleteTree(dir);
            }
        }
    }

    /**
     * Silences what every benchmark run logs by design: the end of a bounded job suspends its
     * checkpoint coordinator, the latency probe's listings race with uploads in S3Proxy, and Hadoop
     * (under Flink's S3 file system) finds neither a metrics config nor native code.
     */
    private static void quietNoise() {
        Configurator.setLevel("org.apache.hadoop.metrics2.impl.MetricsConfig", Level.ERROR);
        Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
        Configurator.setLevel(
                "org.apache.flink.runtime.checkpoint.CheckpointFailureManager", Level.ERROR);
        Configurator.setLevel("org.gaul.shaded.org.eclipse.jetty.server.HttpChannel", Level.ERROR);
    }

    BenchSettings settings(Path dir) {
        return new BenchSettings(
                or(records, run.quick ? 50_000 : 1_000_000),
                or(customers, run.quick ? 200 : 2_000),
                or(repeats, run.quick ? 1 : 3),
                or(warmUpRuns, run.quick ? 1 : 3),
                or(checkpointInterval, Duration.ofSeconds(run.quick ? 2 : 10)),
                or(latencyRate, run.quick ? 1_000L : 2_000L),
                or(latencyDuration, Duration.ofSeconds(run.quick ? 5 : 30)),
                scaleJobs(),
                or(scaleRecords, 100_000),
                or(scaleWarmUpRuns, run.quick ? 1 : 5),
                dir,
                run.report,
                pluginsDir != null ? pluginsDir : FlinkS3.defaultPluginsDir(),
                stateBackend.name(),
                s3Storage);
    }

    /**
     * Refuses counts that cannot run: a negative warm-up count or scale, or no records, customers
     * or counted runs, would otherwise run a bench that measures nothing or fail deep inside it.
     */
    private void checkCounts() {
        atLeast("--records", records, 1);
        atLeast("--customers", customers, 1);
        atLeast("--repeats", repeats, 1);
        atLeast("--warm-up-runs", warmUpRuns, 0);
        atLeast("--scale-records", scaleRecords, 1);
        atLeast("--scale-warm-up-runs", scaleWarmUpRuns, 0);
        atLeast("--latency-rate", latencyRate, 1);
        if (scale != null) {
            for (Integer jobs : scale) {
                atLeast("--scale", jobs, 0);
            }
        }
        if (checkpointInterval != null
                && (checkpointInterval.isZero() || checkpointInterval.isNegative())) {
            throw refused("--checkpoint-interval must be positive, was " + checkpointInterval);
        }
        if (latencyDuration != null && latencyDuration.isNegative()) {
            throw refused(
                    "--latency-duration must be 0 (no probe) or more, was " + latencyDuration);
        }
    }

    private void atLeast(String option, Number value, long least) {
        if (value != null && value.longValue() < least) {
            throw refused(option + " must be at least " + least + ", was " + value);
        }
    }

    /** Bad input: picocli prints the message and the usage and exits with 2. */
    private ParameterException refused(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private List<Integer> scaleJobs() {
        List<Integer> jobs =
                new ArrayList<>(
                        scale != null ? scale : run.quick ? List.of() : List.of(10_000, 100_000));
        jobs.removeIf(n -> n <= 0);
        return jobs;
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
