package dev.sluice.bench;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.route.RouteFunction;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobmaster.JobResult;

import java.time.Duration;

/**
 * Sluice, the real job end to end ({@link SluiceJob#define}): the input topic read once, bounded,
 * every record routed, buffered and delivered as gzip objects to the S3 server, exactly once with
 * checkpoints on. The run ends when the final checkpoint has committed the last objects.
 */
record SluiceContender(BenchServers servers, BenchInput input, String topic) {

    static final String DESCRIPTION =
            "the job end to end: Kafka -> decode/route -> buffer -> gzip objects in the S3"
                    + " server, exactly once, checkpoints on";

    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    RunFigures run(String round) throws Exception {
        String name = "bench-sluice-" + round;
        servers.s3.createBucket(name);
        String config = BenchConfig.snapshot(input.customers(), servers.s3, name);
        Configuration conf = conf(servers, name, topic);
        try (BenchCluster cluster = BenchCluster.start(conf)) {
            ResourceMeter.collectGarbage();
            JobID job = cluster.submit(name, env -> SluiceJob.define(env, conf, config));
            cluster.awaitAllRunning(job, Duration.ofMinutes(1));
            ResourceMeter meter = ResourceMeter.start();
            JobResult result = cluster.awaitResult(job, TIMEOUT);
            ResourceMeter.Usage usage = meter.stop();
            long routed = BenchCluster.sum(result, RouteFunction.ROUTED_BY_JOB);
            if (routed != input.size()) {
                throw new IllegalStateException(
                        "Sluice routed " + routed + " of " + input.size() + " records");
            }
            long[] objects = servers.objectsIn(name);
            servers.removeObjects(name, "");
            return RunFigures.of(
                    input.size(),
                    BenchCluster.runSeconds(cluster.archived(job)),
                    usage,
                    objects[0],
                    objects[1]);
        }
    }

    /** The job's settings: the servers' Flink settings, its topics, read to their end. */
    static Configuration conf(BenchServers servers, String name, String topic) {
        Configuration conf = servers.flinkConf(name);
        conf.set(SluiceOptions.LOGS_TOPIC, topic);
        conf.set(SluiceOptions.CONFIG_TOPIC, BenchTopics.CONFIG);
        conf.set(SluiceOptions.DLQ_TOPIC, BenchTopics.DEAD_LETTERS);
        conf.set(SluiceOptions.SCHEMA_TOPIC, BenchTopics.SCHEMAS);
        conf.set(SluiceOptions.STATUS_TOPIC, BenchTopics.STATUS);
        conf.set(SluiceOptions.BOUNDED, true);
        return SluiceJob.withDefaults(conf);
    }
}
