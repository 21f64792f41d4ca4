package dev.sluice.jobs;

import dev.sluice.config.Suggestions;
import dev.sluice.sink.committer.ObjectCommitter;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.SinkOptions;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Checks the settings a cluster job starts with and says, for each problem, which setting and why.
 * All problems are reported at once: a submission that fails once per typo wastes a deployment
 * cycle each time.
 */
final class JobSettingsCheck {

    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private static final Pattern HOST_PORT = Pattern.compile("\\[?[A-Za-z0-9.:_-]+]?:(\\d{1,5})");

    private static final Set<String> KNOWN_KEYS = knownSluiceKeys();

    private JobSettingsCheck() {}

    /** Problems with the keys the user gave: {@code sluice.*} keys Sluice does not know. */
    static List<String> unknownKeys(Collection<String> keys) {
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            if (key.startsWith("sluice.") && !KNOWN_KEYS.contains(key)) {
                problems.add(
                        "unknown setting "
                                + key
                                + Suggestions.didYouMean(key, KNOWN_KEYS)
                                + "; Sluice's settings are listed in"
                                + " flink-conf/cluster/config.yaml");
            }
        }
        return problems;
    }

    /** Problems with the effective settings: the user's on top of the cluster's. */
    static List<String> problems(ReadableConfig conf) {
        List<String> problems = new ArrayList<>();
        bootstrapServers(conf, problems);
        List<String> topics = new ArrayList<>();
        for (ConfigOption<String> topic :
                List.of(
                        SluiceOptions.LOGS_TOPIC,
                        SluiceOptions.CONFIG_TOPIC,
                        SluiceOptions.SCHEMA_TOPIC,
                        SluiceOptions.DLQ_TOPIC,
                        SluiceOptions.STATUS_TOPIC)) {
            String name = conf.get(topic);
            if (!TOPIC.matcher(name).matches()) {
                problems.add(
                        topic.key()
                                + " '"
                                + name
                                + "' is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)");
            } else if (topics.contains(name)) {
                problems.add(
                        topic.key()
                                + " '"
                                + name
                                + "' is also another of the job's topics; logs, config, schemas,"
                                + " dead letters and statuses need one topic each");
            }
            topics.add(name);
        }
        if (conf.get(SluiceOptions.GROUP_ID).isBlank()) {
            problems.add(SluiceOptions.GROUP_ID.key() + " must not be blank");
        }
        String checkpoints = conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        if (checkpoints == null || checkpoints.isBlank()) {
            problems.add(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
                            + " (--checkpoint-dir) is required: objects become visible when a"
                            + " checkpoint completes, and a restart needs it in durable storage"
                            + " (s3://…, hdfs://…, or file:// on a shared volume)");
        } else {
            directory(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints, problems);
        }
        String savepoints = conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY);
        if (savepoints != null && !savepoints.isBlank()) {
            directory(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints, problems);
        }
        int parallelism = conf.get(CoreOptions.DEFAULT_PARALLELISM);
        if (parallelism < 1) {
            problems.add(
                    CoreOptions.DEFAULT_PARALLELISM.key()
                            + " (--parallelism) must be at least 1: "
                            + parallelism);
        }
        if (conf.get(SluiceOptions.PARK_DESTINATION).isBlank()) {
            problems.add(
                    SluiceOptions.PARK_DESTINATION.key()
                            + " (--park-destination) is required: it is where a failing"
                            + " destination's batches wait for 'bin/sluice redrive'. Name a"
                            + " bucket for parked batches (s3://bucket/parked?region=…), or set"
                            + " it to '"
                            + SluiceOptions.NO_PARK_DESTINATION
                            + "' to discard them instead");
        }
        int committerRetries = conf.get(SinkOptions.COMMITTER_RETRIES);
        if (committerRetries <= ObjectCommitter.GIVE_UP_AFTER_RETRIES) {
            problems.add(
                    SinkOptions.COMMITTER_RETRIES.key()
                            + " must be at least "
                            + (ObjectCommitter.GIVE_UP_AFTER_RETRIES + 1)
                            + ": with "
                            + committerRetries
                            + ", Flink fails the task for one job's failing destination before"
                            + " Sluice parks that job's object");
        }
        settings("buffer", () -> SluiceOptions.buffer(conf), problems);
        settings("config guard", () -> SluiceOptions.guard(conf), problems);
        settings("sink", () -> SluiceOptions.sink(conf), problems);
        return problems;
    }

    private static void bootstrapServers(ReadableConfig conf, List<String> problems) {
        String key = SluiceOptions.BOOTSTRAP_SERVERS.key();
        String servers = conf.getOptional(SluiceOptions.BOOTSTRAP_SERVERS).orElse("");
        if (servers.isBlank()) {
            problems.add(key + " (--bootstrap-servers HOST:PORT[,HOST:PORT…]) is required");
            return;
        }
        for (String server : servers.split(",")) {
            var m = HOST_PORT.matcher(server.strip());
            if (!m.matches() || Integer.parseInt(m.group(1)) > 65535) {
                problems.add(key + ": '" + server.strip() + "' is not HOST:PORT");
            }
        }
    }

    private static void directory(
            ConfigOption<String> option, String value, List<String> problems) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null) {
                problems.add(
                        option.key()
                                + " '"
                                + value
                                + "' needs a scheme (s3://, hdfs://, file://): a bare path means a"
                                + " different directory on every machine");
            }
        } catch (URISyntaxException e) {
            problems.add(option.key() + " '" + value + "' is not a URI: " + e.getReason());
        }
    }

    /** Runs a settings constructor, whose checks know their own rules, and keeps its complaint. */
    private static void settings(String what, Supplier<?> build, List<String> problems) {
        try {
            build.get();
        } catch (IllegalArgumentException e) {
            problems.add(what + ": " + e.getMessage());
        }
    }

    /** Every key of {@link SluiceOptions}, fallback keys included: the list cannot drift. */
    private static Set<String> knownSluiceKeys() {
        Set<String> keys = new TreeSet<>();
        for (Field field : SluiceOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                    keys.add(option.key());
                    for (FallbackKey fallback : option.fallbackKeys()) {
                        keys.add(fallback.getKey());
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }
}
