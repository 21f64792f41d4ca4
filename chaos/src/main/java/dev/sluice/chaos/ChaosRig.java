package dev.sluice.chaos;

import dev.sluice.config.ConfigUpdates;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.EmbeddedKafka;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.FlinkRest;
import dev.sluice.local.FreePort;
import dev.sluice.local.LocalRun;
import dev.sluice.local.PrometheusScrape;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Everything a chaos scenario runs on, all in this JVM on 127.0.0.1 with ports the system picks: a
 * Kafka broker, an S3 server, a MiniCluster whose TaskManagers can be killed and replaced, its REST
 * API and Prometheus reporter. One Sluice job at a time, started from a config and stopped with a
 * drain.
 */
public final class ChaosRig implements AutoCloseable {

    /** Bucket of delivered objects. */
    public static final String BUCKET = "sluice-chaos";

    /** Bucket where batches of failing destinations are parked. */
    public static final String PARK_BUCKET = "sluice-chaos-parked";

    /** Prefix of parked batches in {@link #PARK_BUCKET}: {@code parked/<their own key>}. */
    public static final String PARK_PREFIX = "parked";

    static final String LOGS_TOPIC = "chaos-logs";
    static final String CONFIG_TOPIC = "chaos-config";
    static final String DLQ_TOPIC = "chaos-dead-letters";
    static final String STATUS_TOPIC = "chaos-status";

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);

    private final Path dataDir;
    private final RigSettings settings;
    private final PrintStream log;
    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final S3Client s3Client;
    private final int metricsPort;
    private final Configuration conf;
    private final MiniCluster cluster;
    private final FlinkRest rest;
    private final List<Integer> liveTaskManagers = new ArrayList<>();
    private int nextTaskManager;
    private JobID job;

    private ChaosRig(Path dataDir, RigSettings settings, PrintStream log) throws Exception {
        this.dataDir = dataDir;
        this.settings = settings;
        this.log = log;
        this.kafka = EmbeddedKafka.start(0, dataDir.resolve("kafka"));
        this.s3 = EmbeddedS3.start(0, dataDir.resolve("s3"), "sluice", "sluice-chaos-secret");
        this.s3Client = s3.newClient();
        s3.createBucket(BUCKET);
        s3.createBucket(PARK_BUCKET);
        kafka.createTopic(LOGS_TOPIC, settings.parallelism());
        kafka.createCompactedTopic(CONFIG_TOPIC);
        kafka.createTopic(DLQ_TOPIC, 1);
        kafka.createCompactedTopic(STATUS_TOPIC);
        this.metricsPort = FreePort.pick();
        this.conf = configuration();
        this.cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(settings.taskManagers())
                                .setNumSlotsPerTaskManager(settings.parallelism())
                                .withRandomPorts()
                                .build());
        cluster.start();
        for (int i = 0; i < settings.taskManagers(); i++) {
            liveTaskManagers.add(nextTaskManager++);
        }
        this.rest = new FlinkRest(cluster.getRestAddress().get(30, TimeUnit.SECONDS));
    }

    /** Starts the servers and the MiniCluster under {@code dataDir}. */
    public static ChaosRig start(Path dataDir, RigSettings settings, PrintStream log)
            throws Exception {
        Files.createDirectories(dataDir);
        return new ChaosRig(dataDir, settings, log);
    }

    private Configuration configuration() {
        Configuration c = new Configuration();
        c.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", Integer.toString(metricsPort));
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        c.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(2));
        LocalRun.keepCheckpointsUnder(c, dataDir);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1_000);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        // Checkpoint statistics fresh on every request (the default caches them for 3 s): the
        // kills scenario times its kills by them.
        c.set(RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT, Duration.ofMillis(1));
        // The job's state and exception history as fresh (the default caches them for 3 s).
        c.setString("web.refresh-interval", "200 ms");
        // Every failure stays listed (the default keeps 16): the kills scenario counts them.
        c.setString("web.exception-history-size", "1000");
        c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(1_000));
        c.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, Duration.ofMillis(10_000));
        c.set(SluiceOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        c.set(SluiceOptions.LOGS_TOPIC, LOGS_TOPIC);
        c.set(SluiceOptions.CONFIG_TOPIC, CONFIG_TOPIC);
        c.set(SluiceOptions.DLQ_TOPIC, DLQ_TOPIC);
        c.set(SluiceOptions.STATUS_TOPIC, STATUS_TOPIC);
        c.set(SluiceOptions.GROUP_ID, "sluice-chaos");
        // As production should: a failing destination's batches are parked, not retried forever.
        c.set(SluiceOptions.PARK_DESTINATION, s3.destination(PARK_BUCKET + "/" + PARK_PREFIX));
        c.addAll(Configuration.fromMap(settings.settings()));
        return SluiceJob.withDefaults(c);
    }

    /** Submits Sluice with {@code startConfig} and waits until its first checkpoint completed. */
    public JobID submit(String startConfig) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(settings.parallelism());
        SluiceJob.define(env, conf, startConfig);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("sluice-chaos");
        JobGraph jobGraph = graph.getJobGraph();
        job = cluster.submitJob(jobGraph).get(1, TimeUnit.MINUTES).getJobID();
        awaitCheckpointAfter(System.currentTimeMillis(), Duration.ofMinutes(2));
        log.printf("Job %s running%n", job);
        return job;
    }

    /**
     * Waits for a checkpoint that completed after {@code sinceMillis}; returns when it was
     * acknowledged (milliseconds since the epoch).
     */
    public long awaitCheckpointAfter(long sinceMillis, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (status() != JobStatus.RUNNING) {
                Thread.sleep(50);
                continue;
            }
            try {
                FlinkRest.Checkpoints c = rest.checkpoints(job);
                if (c.latestAckMillis() > sinceMillis) {
                    return c.latestAckMillis();
                }
            } catch (IOException e) {
                // The job may be between attempts; ask again.
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(
                "no checkpoint completed within " + timeout.toSeconds() + " s");
    }

    /** Publishes a config update (snapshot or delta) to the config topic. */
    public void publishConfig(String json) {
        publishConfigs(List.of(json));
    }

    /**
     * The key the topic's contract gives {@code update}; bad input, which has none, gets a key of
     * its own so that compaction never takes a good update's place for it.
     */
    static String topicKey(String update) {
        try {
            return ConfigUpdates.parse(update).topicKey();
        } catch (InvalidConfigException e) {
            return "refused";
        }
    }

    /** Publishes config updates in order, as fast as the broker takes them. */
    public void publishConfigs(List<String> updates) {
        publishConfigRecords(
                updates.stream()
                        .map(u -> new ConfigRecord(topicKey(u), u.getBytes(StandardCharsets.UTF_8)))
                        .toList());
    }

    /**
     * A record of the config topic as any producer may write it: a key and a value of any bytes, or
     * none (a tombstone).
     */
    public record ConfigRecord(String key, byte[] value) {}

    /** Publishes config records in order, as they are. */
    public void publishConfigRecords(List<ConfigRecord> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (ConfigRecord r : records) {
                producer.send(new ProducerRecord<>(CONFIG_TOPIC, r.key(), r.value()));
            }
            producer.flush();
        }
    }

    /** A producer of chaos records into the logs topic. */
    public ChaosProducer producer(SentLedger ledger) {
        return new ChaosProducer(kafka.bootstrapServers(), LOGS_TOPIC, ledger);
    }

    /**
     * Terminates a random live TaskManager and starts a new one; the job restarts on the slots
     * left. Returns the index of the killed one.
     */
    public int killTaskManager(Random random) throws Exception {
        int index = liveTaskManagers.remove(random.nextInt(liveTaskManagers.size()));
        cluster.terminateTaskManager(index).get(1, TimeUnit.MINUTES);
        cluster.startTaskManager();
        liveTaskManagers.add(nextTaskManager++);
        return index;
    }

    /** Indexes of the TaskManagers running now. */
    public List<Integer> liveTaskManagers() {
        return List.copyOf(liveTaskManagers);
    }

    /** Triggers a checkpoint now, without waiting for it. */
    public void triggerCheckpoint() {
        cluster.triggerCheckpoint(job);
    }

    /**
     * Stops the job with a drain: every open batch is delivered and committed by the final
     * checkpoint.
     */
    public void drain() throws Exception {
        log.printf("Stopping with drain...%n");
        cluster.stopWithSavepoint(
                        job,
                        dataDir.resolve("savepoints").toUri().toString(),
                        true,
                        SavepointFormatType.CANONICAL)
                .get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        cluster.requestJobResult(job).get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The job's status now. */
    public JobStatus status() throws Exception {
        return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
    }

    public JobID job() {
        return job;
    }

    public FlinkRest rest() {
        return rest;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    /**
     * Reads the delivery and park buckets back and compares them with what was sent to the jobs of
     * {@code jobIds} (id → customer); trusts nothing the job counted.
     */
    public DeliveryAudit.Result audit(SentLedger sent, Map<Long, String> jobIds)
            throws IOException {
        // A killed task may have cut a PUT off midway; S3Proxy would then fail the listing.
        s3.removeCutOffWrites();
        return new DeliveryAudit(s3Client, sent, jobIds).run(BUCKET, PARK_BUCKET);
    }

    public S3Client s3Client() {
        return s3Client;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** A scrape of the job's metrics now. */
    public PrometheusScrape scrape() throws IOException, InterruptedException {
        return PrometheusScrape.fetch(metricsPort);
    }

    public int parallelism() {
        return settings.parallelism();
    }

    /** Stops the job if it still runs, then the MiniCluster and the servers. */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        try {
            if (job != null && !status().isGloballyTerminalState()) {
                cluster.cancelJob(job).get(1, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            failure = e;
        }
        for (AutoCloseable c : List.<AutoCloseable>of(cluster::close, s3Client, s3, kafka)) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
