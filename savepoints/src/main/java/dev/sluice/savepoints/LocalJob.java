package dev.sluice.savepoints;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The tools' own small Flink jobs (reading or writing a savepoint): built on an environment with
 * parallelism 1 and run on a one-slot local MiniCluster owned here.
 */
final class LocalJob {

    private LocalJob() {}

    /**
     * Settings for a tool job named {@code name}. Generic types are off, as in the Sluice job:
     * every type a reading job handles has a Flink or Avro serializer, none falls back to Kryo.
     */
    static Configuration configuration(String name) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.NAME, name);
        // Any free port: a local run's web UI may hold the default one.
        conf.set(RestOptions.BIND_PORT, "0");
        return conf;
    }

    /** An environment for a job that {@link #execute} runs with the same settings. */
    static StreamExecutionEnvironment environment(Configuration conf) {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(1);
        return env;
    }

    /**
     * Runs the job on a local MiniCluster owned here and closed before returning. A local
     * environment would close its per-job cluster asynchronously, racing the JVM's exit.
     */
    static JobExecutionResult execute(StreamExecutionEnvironment env, Configuration conf)
            throws Exception {
        MiniClusterConfiguration local =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(1)
                        .build();
        try (MiniCluster cluster = new MiniCluster(local)) {
            cluster.start();
            return cluster.executeJobBlocking(env.getStreamGraph().getJobGraph());
        }
    }
}
