package dev.sluice.bench;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.StartConfigFile;
import dev.sluice.local.SampleConfig;
import dev.sluice.route.RouteFunction;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.jobmaster.JobResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Sluice with many configured delivery jobs: a config of N jobs (one per customer), RocksDB state
 * with incremental checkpoints. The records go to at most {@link #ACTIVE_JOBS} of them (the
 * busiest, with the generator's skew), so every run does the same work and delivers about as many
 * objects, and what changes with N is the cost of N configured jobs: config, routing tables, heap,
 * state and checkpoints. Figures from the job's own checkpoint statistics.
 */
final class ScaleRun {

    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    /** Jobs that get records; the rest are configured and idle, as most of a large fleet is. */
    static final int ACTIVE_JOBS = 1_000;

    /**
     * @param jobs delivery jobs configured
     * @param configBytes the config snapshot's size
     * @param records input records
     * @param activeJobs jobs that got at least one record
     * @param seconds from first record to last object committed, less {@code
     *     heapReadingPauseSeconds}
     * @param recordsPerSecond records over {@code seconds}
     * @param cpuCores CPU seconds per wall second (whole process) from the job seen running to its
     *     result in, the heap reading's collection and the job's tear-down included
     * @param peakHeapMiB peak heap (pools' peaks summed)
     * @param heapAfterGcMiB the largest heap in use right after a collection
     * @param jobHeapMiB what the running job keeps alive: the heap after a full collection once its
     *     first checkpoint completed, less the heap before it was submitted (the servers, the input
     *     and the idle MiniCluster), taken with the finalizers run so that no earlier job's task is
     *     in it; NaN when the job ended before a checkpoint
     * @param heapReadingPauseSeconds how long that full collection stopped the running job (and
     *     every other thread of the JVM): the bench's own doing, so not part of {@code seconds}
     * @param checkpoints checkpoints completed
     * @param stateBytes full state size of the last completed checkpoint
     * @param checkpointedBytes what it persisted (incremental)
     * @param checkpointMillisMax longest checkpoint, trigger to last acknowledgement
     * @param checkpointMillisLast the last one's duration
     * @param error why the run failed, null when it did not
     */
    record Figures(
            int jobs,
            long configBytes,
            int records,
            long activeJobs,
            double seconds,
            double recordsPerSecond,
            double cpuCores,
            @JsonProperty("peak_heap_mib") double peakHeapMiB,
            @JsonProperty("heap_after_gc_mib") double heapAfterGcMiB,
            @JsonProperty("job_heap_mib") double jobHeapMiB,
            double heapReadingPauseSeconds,
            long checkpoints,
            long stateBytes,
            long checkpointedBytes,
            long checkpointMillisMax,
            long checkpointMillisLast,
            String error) {

        static Figures failed(int jobs, long configBytes, int records, Throwable e) {
            return new Figures(
                    jobs,
                    configBytes,
                    records,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    Double.NaN,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    e.toString());
        }
    }

    private final BenchServers servers;
    private final int records;

    ScaleRun(BenchServers servers, int records) {
        this.servers = servers;
        this.records = records;
    }

    Figures run(int jobs) throws Exception {
        return run("bench-scale-" + jobs, jobs);
    }

    /** A run like {@link #run} on topics and a bucket of its own, for warming the JVM up. */
    Figures warmUp(int jobs) throws Exception {
        return run("bench-scale-warm-up-" + jobs, jobs);
    }

    private Figures run(String name, int jobs) throws Exception {
        Path config = servers.dir.resolve(name + "-config.json");
        BenchInput input = prepare(name, jobs, config);
        long configBytes = Files.size(config);
        try {
            return measure(name, input, SluiceJob.readStartConfig(config), configBytes, jobs);
        } catch (Exception | OutOfMemoryError e) {
            return Figures.failed(jobs, configBytes, records, e);
        } finally {
            Files.deleteIfExists(config);
        }
    }

    /**
     * Produces the run's input and writes its config to {@code config}: a file, not a String, and
     * the customer ids are not kept, so the bench holds nothing of the config beside the job.
     */
    private BenchInput prepare(String name, int jobs, Path config) throws Exception {
        List<String> customers = SampleConfig.customers(jobs);
        BenchInput input =
                BenchInput.generate(
                        records,
                        List.copyOf(customers.subList(0, Math.min(jobs, ACTIVE_JOBS))),
                        jobs);
        servers.kafka.createTopic(name, BenchServers.PARALLELISM);
        input.produceTo(servers.kafka.bootstrapServers(), name);
        servers.s3.createBucket(name);
        BenchConfig.writeSnapshot(customers, servers.s3, name, config);
        return input;
    }

    private Figures measure(
            String name, BenchInput input, StartConfigFile config, long configBytes, int jobs)
            throws Exception {
        Configuration conf = SluiceContender.conf(servers, name, name);
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        try (BenchCluster cluster = BenchCluster.start(conf)) {
            long before = ResourceMeter.settledHeapBytes();
            JobID job = cluster.submit(name, env -> SluiceJob.define(env, conf, config));
            cluster.awaitAllRunning(job, Duration.ofMinutes(5));
            ResourceMeter meter = ResourceMeter.start();
            // One full collection mid-run. It stops the whole JVM, the job with it, for a time
            // that grows with the heap (0.4-0.7 s at a million jobs, in a run of 3 s): taken out of
            // the run's time, so that the throughput is the job's, not the reading's.
            double jobHeapMiB = Double.NaN;
            long readingFrom = 0;
            long readingTo = 0;
            if (cluster.awaitRunningCheckpoint(job, TIMEOUT)) {
                readingFrom = System.currentTimeMillis();
                long live = ResourceMeter.liveHeapBytes();
                readingTo = System.currentTimeMillis();
                jobHeapMiB = (live - before) / (1024.0 * 1024.0);
            }
            JobResult result = cluster.awaitResult(job, TIMEOUT);
            ResourceMeter.Usage usage = meter.stop();
            ArchivedExecutionGraph graph = cluster.archived(job);
            double runSeconds = BenchCluster.runSeconds(graph);
            double pauseSeconds = BenchCluster.secondsInRun(graph, readingFrom, readingTo);
            double seconds = runSeconds - pauseSeconds;
            CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
            long maxMillis = 0;
            AbstractCheckpointStats last = null;
            for (AbstractCheckpointStats c : stats.getHistory().getCheckpoints()) {
                if (c.getStatus() == CheckpointStatsStatus.COMPLETED) {
                    maxMillis = Math.max(maxMillis, c.getEndToEndDuration());
                    if (last == null || c.getCheckpointId() > last.getCheckpointId()) {
                        last = c;
                    }
                }
            }
            return new Figures(
                    jobs,
                    configBytes,
                    records,
                    BenchCluster.keys(result, RouteFunction.ROUTED_BY_JOB),
                    seconds,
                    input.size() / seconds,
                    usage.cpuCores(),
                    usage.peakHeapBytes() / (1024.0 * 1024.0),
                    usage.peakHeapAfterGcBytes() / (1024.0 * 1024.0),
                    jobHeapMiB,
                    pauseSeconds,
                    stats.getCounts().getNumberOfCompletedCheckpoints(),
                    last == null ? 0 : last.getStateSize(),
                    last == null ? 0 : last.getCheckpointedSize(),
                    maxMillis,
                    last == null ? 0 : last.getEndToEndDuration(),
                    null);
        }
    }
}
