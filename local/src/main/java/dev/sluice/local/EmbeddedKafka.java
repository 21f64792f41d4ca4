package dev.sluice.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka broker (KRaft combined mode) running in this JVM on 127.0.0.1.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}), not dynamic: a dynamic quorum records
 * the controller endpoint in the metadata log, so a restart on the same log directory with a newly
 * picked free port would never find its own controller.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final int port;

    private EmbeddedKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Formats {@code logDir} unless it already holds a formatted log, then starts the broker and
     * waits until it answers. A {@code port} of 0 picks a free port.
     */
    public static EmbeddedKafka start(int port, Path logDir) {
        int[] ports = freePorts(port);
        Path dir = createDirectories(logDir);
        format(dir);
        KafkaRaftServer server = new KafkaRaftServer(config(ports[0], ports[1], dir), Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, ports[0]);
        try {
            server.startup();
            kafka.awaitReady();
            return kafka;
        } catch (RuntimeException e) {
            try {
                kafka.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** The {@code bootstrap.servers} value for clients, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader. An
     * existing topic is left as it is (whatever its partition count).
     */
    public void createTopic(String name, int partitions) {
        createTopic(new NewTopic(name, partitions, (short) 1));
    }

    /**
     * Creates a compacted topic of one partition, as the config topic's contract asks (README, "The
     * topic's contract"): a key's latest record is kept, a tombstone lets it go.
     */
    public void createCompactedTopic(String name) {
        createTopic(
                new NewTopic(name, 1, (short) 1)
                        .configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    private void createTopic(NewTopic topic) {
        String name = topic.name();
        try (Admin admin = newAdmin()) {
            try {
                admin.createTopics(List.of(topic))
                        .all()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + name, e.getCause());
                }
            }
            awaitLeaders(admin, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + name, e);
        }
    }

    /** Shuts the broker down and waits for its threads to finish. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private void awaitReady() {
        try (Admin admin = newAdmin()) {
            admin.describeCluster().nodes().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at "
                            + bootstrapServers()
                            + " did not answer within "
                            + STARTUP_TIMEOUT.toSeconds()
                            + " s",
                    e);
        }
    }

    private static void awaitLeaders(Admin admin, String topic)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TopicDescription> description = describe(admin, topic);
            if (description.isPresent() && hasAllLeaders(description.get())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("Topic " + topic + " has no leader for every partition");
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic)
            throws InterruptedException {
        try {
            return Optional.of(
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .get(topic));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty(); // metadata not propagated yet: ask again
        }
    }

    private static boolean hasAllLeaders(TopicDescription description) {
        List<TopicPartitionInfo> partitions = description.partitions();
        return !partitions.isEmpty() && partitions.stream().allMatch(p -> p.leader() != null);
    }

    private Admin newAdmin() {
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        (int) ADMIN_TIMEOUT.toMillis()));
    }

    /**
     * Formats the metadata log; a directory formatted by an earlier run is reused as it is (the
     * formatter still insists that the cluster id matches the one on disk, hence the lookup).
     */
    private static void format(Path dir) {
        String clusterId = existingClusterId(dir).orElseGet(() -> Uuid.randomUuid().toString());
        Formatter formatter =
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(NODE_ID)
                        .setClusterId(clusterId)
                        .addDirectory(dir.toString())
                        .setMetadataLogDirectory(dir.toString())
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setControllerListenerName(CONTROLLER_LISTENER)
                        .setIgnoreFormatted(true);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka log directory " + dir, e);
        }
    }

    private static Optional<String> existingClusterId(Path dir) {
        try {
            return new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(List.of(dir.toString()))
                    .addMetadataLogDir(dir.toString())
                    .load()
                    .clusterId();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + dir.resolve("meta.properties"), e);
        }
    }

    private static KafkaConfig config(int port, int controllerPort, Path dir) {
        Map<String, String> props = new HashMap<>();
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("process.roles", "broker,controller");
        props.put(
                "listeners",
                "PLAINTEXT://"
                        + HOST
                        + ":"
                        + port
                        + ","
                        + CONTROLLER_LISTENER
                        + "://"
                        + HOST
                        + ":"
                        + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        props.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("log.dirs", dir.toString());
        props.putAll(singleNodeSettings());
        return new KafkaConfig(props);
    }

    /** Replication factor 1 everywhere, and no waiting meant for larger clusters. */
    private static Map<String, String> singleNodeSettings() {
        Map<String, String> props = new HashMap<>();
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // Flink's transactional KafkaSink asks for a 1 h transaction timeout; the default 15 min
        // maximum would reject its producers.
        props.put("transaction.max.timeout.ms", "3600000");
        return props;
    }

    /**
     * The broker port ({@code port}, or a free one if 0) and a free controller port. They are
     * released before Kafka binds them, a small race accepted for a local run.
     */
    private static int[] freePorts(int port) {
        // Both sockets stay open until both ports are known, so the two ports differ.
        try (ServerSocket broker = bind(port);
                ServerSocket controller = bind(0)) {
            return new int[] {broker.getLocalPort(), controller.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        return new ServerSocket(port, 1, InetAddress.getByName(HOST));
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + dir, e);
        }
    }
}
