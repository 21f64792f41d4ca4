package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.local.EmbeddedKafka;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.sink.ObjectSink;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A MiniCluster, a Kafka broker and an S3 server on 127.0.0.1, shared by a test class. */
abstract class ServersTestBase {

    static final int PARALLELISM = 2;

    @RegisterExtension static final MiniClusterExtension FLINK = miniCluster(1, PARALLELISM);

    @TempDir static Path dir;

    /**
     * A MiniCluster like {@link #FLINK} but of another size, for a class that needs more slots. A
     * subclass registers it in its own field: superclass extensions are registered first, so its
     * environment is the one {@link #environment} gets.
     */
    static MiniClusterExtension miniCluster(int taskManagers, int slotsPerTaskManager) {
        return miniCluster(taskManagers, slotsPerTaskManager, fastHeartbeats());
    }

    /** A MiniCluster with this configuration, which had best start from {@link #fastHeartbeats}. */
    static MiniClusterExtension miniCluster(
            int taskManagers, int slotsPerTaskManager, Configuration conf) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .setConfiguration(conf)
                        .build());
    }

    /** Accumulators travel with heartbeats; tests that wait on them should not wait 10 s. */
    static Configuration fastHeartbeats() {
        Configuration conf = new Configuration();
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(500));
        return conf;
    }

    static EmbeddedKafka kafka;
    static EmbeddedS3 s3;
    static S3Client s3Client;

    @BeforeAll
    static void startServers() {
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"));
        s3 = EmbeddedS3.start(0, dir.resolve("s3"), "test-key", "test-secret");
        s3Client = s3.newClient();
    }

    /**
     * Topics {@code NAME-logs} (2 partitions), {@code NAME-config}, {@code NAME-dlq}, and {@code
     * NAME-status} (compacted).
     */
    static void createTopics(String name) {
        kafka.createTopic(name + "-logs", PARALLELISM);
        kafka.createTopic(name + "-config", 1);
        kafka.createTopic(name + "-dlq", 1);
        kafka.createCompactedTopic(name + "-status");
    }

    /**
     * Starts the job on the topics of {@code name} (the config topic compacted, as in production)
     * with {@code startConfig}, unbounded and with no restart strategy at all: a single task
     * failure fails the test. {@code settings} adjusts the configuration first.
     */
    static JobClient startWithoutRestarts(
            String name, String startConfig, Consumer<Configuration> settings) throws Exception {
        kafka.createCompactedTopic(name + "-config");
        kafka.createTopic(name + "-logs", PARALLELISM);
        kafka.createTopic(name + "-dlq", 1);
        kafka.createCompactedTopic(name + "-status");
        Configuration conf = jobConfiguration(name, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        settings.accept(conf);
        StreamExecutionEnvironment env = environment(conf);
        SluicePipeline.define(
                SluiceJob.logs(env, conf),
                SluiceJob.configUpdates(env, conf),
                startConfig,
                SluiceOptions.guard(conf),
                new ObjectSink(),
                SluiceJob.deadLetterSink(conf));
        return env.executeAsync("sluice-" + name);
    }

    /** The job's settings for a run on the topics of {@code name}, checkpointing every 100 ms. */
    static Configuration jobConfiguration(String name, boolean bounded) {
        Configuration conf = new Configuration();
        conf.set(SluiceOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(SluiceOptions.LOGS_TOPIC, name + "-logs");
        conf.set(SluiceOptions.CONFIG_TOPIC, name + "-config");
        conf.set(SluiceOptions.DLQ_TOPIC, name + "-dlq");
        conf.set(SluiceOptions.STATUS_TOPIC, name + "-status");
        conf.set(SluiceOptions.GROUP_ID, name);
        conf.set(SluiceOptions.BOUNDED, bounded);
        conf.set(SluiceOptions.DEFAULT_CHECKPOINT_INTERVAL, Duration.ofMillis(100));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return SluiceJob.withDefaults(conf);
    }

    /**
     * The job's log source passed through {@code map} first, for a test that throttles it or fails
     * the job from inside it.
     */
    static DataStream<byte[]> logsThrough(
            StreamExecutionEnvironment env,
            Configuration conf,
            MapFunction<byte[], byte[]> map,
            String name) {
        return SluiceJob.logs(env, conf)
                .map(map, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name(name);
    }

    /** An environment of the MiniCluster with the job's settings. */
    static StreamExecutionEnvironment environment(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(PARALLELISM);
        return env;
    }

    @AfterAll
    static void stopServers() {
        s3Client.close();
        s3.close();
        kafka.close();
    }
}
