package dev.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one benchmark run does.
 *
 * @param records input records every contender processes
 * @param customers customers (one delivery job each) the records spread over
 * @param repeats runs of each contender; the report gives medians
 * @param warmUpRuns uncounted runs of each Flink contender before the counted ones: a JVM's first
 *     Flink jobs run at about half speed (class loading, JIT)
 * @param checkpointInterval the Flink contenders' checkpoint interval
 * @param latencyRate records per second the latency probe produces
 * @param latencyDuration how long it produces; zero skips the probe
 * @param scaleJobs configured jobs of each scale run (RocksDB); empty skips them
 * @param scaleRecords input records of each scale run
 * @param scaleWarmUpRuns uncounted scale runs before the counted ones, with {@link
 *     ScaleRun#ACTIVE_JOBS} jobs or the smallest scale run's if fewer
 * @param dataDir where Kafka, the S3 server, checkpoints and the naive job's files live
 * @param report JSON report file, or null
 * @param pluginsDir Flink plugins folder holding {@code s3-fs-hadoop/}, Flink's S3 file system for
 *     the naive contender
 * @param stateBackend the Flink contenders' state backend, {@code rocksdb} (with incremental
 *     checkpoints, as a cluster runs Sluice) or {@code hashmap}
 * @param s3Storage where the S3 server keeps its objects ({@link S3Storage}): memory (falling back
 *     to disk where the machine has none) or disk
 */
public record BenchSettings(
        int records,
        int customers,
        int repeats,
        int warmUpRuns,
        Duration checkpointInterval,
        long latencyRate,
        Duration latencyDuration,
        List<Integer> scaleJobs,
        int scaleRecords,
        int scaleWarmUpRuns,
        Path dataDir,
        Path report,
        Path pluginsDir,
        String stateBackend,
        S3Storage.Medium s3Storage) {}
