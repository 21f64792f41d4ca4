package dev.sluice.tools;

import dev.sluice.config.ConfigReview;
import dev.sluice.config.ConfigUpdate;
import dev.sluice.config.ConfigUpdates;
import dev.sluice.config.ConfigVerdict;
import dev.sluice.config.InvalidConfigException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bin/sluice config publish}: reviews an update against the config in force on the config
 * topic ({@link ConfigInForce}) exactly as {@code config diff} does, and writes it to the topic
 * only if the job would take it, under the topic's key ({@link ConfigUpdate#topicKey}: {@code
 * snapshot} or {@code job/<id>}) with the file's JSON as the value.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description =
                "Publishes FILE (a snapshot, upsert or delete) to the config topic if the job would"
                        + " take it; shows the same review as 'config diff'.")
final class ConfigPublish implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "FILE", description = "The update to publish.")
    Path file;

    @CommandLine.Mixin ConfigTopicOptions kafka;

    @Option(
            names = "--force",
            description =
                    "Marks a snapshot as a deliberate override of the mass-change guard"
                            + " (\"force\": true), as the job allows.")
    boolean force;

    @Option(names = "--dry-run", description = "Review only; publish nothing.")
    boolean dryRun;

    @CommandLine.Mixin ConfigCommand.GuardOptions guard;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String value;
        ConfigInForce now;
        try {
            value = forced(ConfigCommand.Diff.read(file));
            now = kafka.configInForce(guard.settings());
        } catch (InvalidConfigException | IOException | RuntimeException e) {
            err.println("sluice config publish: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (now.snapshots() == 0 && kafka.startConfig == null) {
            out.println(
                    "note: "
                            + kafka.configTopic
                            + " holds no snapshot; the job's start config is not part of"
                            + " this review (give it with --start-config)");
        }
        ConfigReview review = ConfigReview.of(now.config(), value, guard.settings());
        ConfigCommand.Diff.print(out, now.config(), review);
        if (review.kind() != ConfigVerdict.Kind.ACCEPTED) {
            out.println("not published: the job would not take it");
            out.flush();
            return 1;
        }
        if (dryRun) {
            out.println("dry run: not published");
            out.flush();
            return 0;
        }
        String key;
        try {
            // Accepted, so it parses: the same parser decided.
            key = ConfigUpdates.parse(value).topicKey();
            send(key, value);
        } catch (InvalidConfigException | IOException e) {
            err.println("sluice config publish: " + e.getMessage());
            err.flush();
            return 2;
        }
        out.printf("published to %s under key %s%n", kafka.configTopic, key);
        out.flush();
        return 0;
    }

    /** The file's JSON, with {@code "force": true} when asked; only a snapshot can be forced. */
    private String forced(String json) throws InvalidConfigException, IOException {
        if (!force) {
            return json;
        }
        JsonNode node = JSON.readTree(json);
        if (!(ConfigUpdates.parse(json) instanceof ConfigUpdate.Snapshot)
                || !(node instanceof ObjectNode o)) {
            throw new InvalidConfigException(
                    java.util.List.of(
                            "--force marks a snapshot; an upsert or delete changes one job, which"
                                    + " the guard always lets through"));
        }
        o.put("force", true);
        return JSON.writeValueAsString(o);
    }

    private void send(String key, String value) throws IOException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(kafka.configTopic, key, value))
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(
                    "writing to " + kafka.configTopic + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing to " + kafka.configTopic, e);
        }
    }
}
