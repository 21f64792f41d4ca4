package dev.sluice.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A MiniCluster of its own for one contender's run, so each run starts cold and alike: one
 * TaskManager with a slot per parallel subtask, no web UI. Submits a job built on a plain
 * environment of the same configuration and reads its timings from the execution graph.
 */
final class BenchCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final Configuration conf;

    private BenchCluster(MiniCluster cluster, Configuration conf) {
        this.cluster = cluster;
        this.conf = conf;
    }

    static BenchCluster start(Configuration conf) throws Exception {
        Configuration clusterConf = new Configuration(conf);
        clusterConf.set(RestOptions.PORT, 0);
        clusterConf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        clusterConf.set(RestOptions.ADDRESS, "127.0.0.1");
        int slots = conf.get(CoreOptions.DEFAULT_PARALLELISM);
        clusterConf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(clusterConf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        return new BenchCluster(cluster, conf);
    }

    /** Builds a job with {@code define} and submits it. */
    JobID submit(String name, Consumer<StreamExecutionEnvironment> define) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        define.accept(env);
        var graph = env.getStreamGraph();
        graph.setJobName(name);
        return cluster.submitJob(graph.getJobGraph()).get(1, TimeUnit.MINUTES).getJobID();
    }

    /** Waits until every task of the job runs. */
    void awaitAllRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
            if (graph.getState().isGloballyTerminalState()) {
                throw new IllegalStateException("the job ended before it ran: " + graph.getState());
            }
            if (allRunning(graph)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the job's tasks were not all running in " + timeout);
    }

    private static boolean allRunning(AccessExecutionGraph graph) {
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until the job has completed a checkpoint while it still runs: by then every task
     * opened, read its config and built what it routes with. False when the job ended first.
     */
    boolean awaitRunningCheckpoint(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
            if (graph.getState().isGloballyTerminalState()) {
                return false;
            }
            CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
            if (stats != null && stats.getCounts().getNumberOfCompletedCheckpoints() > 0) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Waits for a bounded job to finish; fails unless it finished. */
    JobResult awaitResult(JobID job, Duration timeout) throws Exception {
        JobResult result =
                cluster.requestJobResult(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!result.isSuccess()) {
            throw new IllegalStateException(
                    "the job failed", result.getSerializedThrowable().orElse(null));
        }
        return result;
    }

    ArchivedExecutionGraph archived(JobID job) throws Exception {
        return cluster.getArchivedExecutionGraph(job).get(30, TimeUnit.SECONDS);
    }

    void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get(1, TimeUnit.MINUTES);
        cluster.requestJobResult(job).get(1, TimeUnit.MINUTES);
    }

    /**
     * Seconds from the moment the last task started running (no record flows through the job
     * before) to the job's end ({@code FINISHED}: the final checkpoint completed and its objects
     * were committed).
     */
    static double runSeconds(ArchivedExecutionGraph graph) {
        return (finishedMillis(graph) - startedMillis(graph)) / 1e3;
    }

    /**
     * Seconds of {@code fromMillis..toMillis} (wall clock) inside the run {@link #runSeconds}
     * times.
     */
    static double secondsInRun(ArchivedExecutionGraph graph, long fromMillis, long toMillis) {
        long from = Math.max(fromMillis, startedMillis(graph));
        long to = Math.min(toMillis, finishedMillis(graph));
        return Math.max(0, to - from) / 1e3;
    }

    private static long startedMillis(ArchivedExecutionGraph graph) {
        long started = 0;
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            started =
                    Math.max(
                            started,
                            v.getCurrentExecutionAttempt()
                                    .getStateTimestamp(ExecutionState.RUNNING));
        }
        return started;
    }

    private static long finishedMillis(ArchivedExecutionGraph graph) {
        return graph.getStatusTimestamp(JobStatus.FINISHED);
    }

    /** An accumulator's per-key counts summed. */
    static long sum(JobResult result, String accumulator) throws Exception {
        return counts(result, accumulator).values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many keys an accumulator of per-key counts has. */
    static long keys(JobResult result, String accumulator) throws Exception {
        return counts(result, accumulator).size();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> counts(JobResult result, String accumulator) throws Exception {
        Object counts =
                result.toJobExecutionResult(BenchCluster.class.getClassLoader())
                        .getAllAccumulatorResults()
                        .get(accumulator);
        return counts instanceof Map ? (Map<String, Long>) counts : Map.of();
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get(1, TimeUnit.MINUTES);
    }
}
