package dev.sluice.jobs;

import dev.sluice.config.InvalidConfigException;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the job on a Flink cluster (the shaded jar's main class).
 *
 * <pre>
 *   flink run sluice-jobs-job.jar --config jobs.json --bootstrap-servers kafka:9092 \
 *       --checkpoint-dir s3://sluice-state/checkpoints --parallelism 4
 * </pre>
 *
 * <p>Everything is checked before the job is built, and every problem is reported at once: a
 * missing or invalid start config (the job never runs without a valid configuration; {@code
 * --config} may be left out only when restoring a savepoint that holds one), Kafka servers and
 * topics, directories, parallelism, caps, destinations and unknown {@code sluice.*} keys. The
 * checks see the cluster's own {@code config.yaml} too, so a setting may come from there. Named
 * options are shorthands for the keys of {@link SluiceOptions} and Flink; any other setting is a
 * {@code --set KEY=VALUE}, and a named option wins over a {@code --set} of the same key.
 *
 * <p>{@code main} never calls {@code System.exit}: on a REST submission it runs inside the
 * JobManager.
 */
@Command(
        name = "sluice-job",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Delivers forwarded logs from Kafka to object storage, exactly once.")
public final class SluiceJobCommand {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Start config snapshot (JSON); optional only when restoring a savepoint that"
                            + " holds one.")
    Path config;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,…]",
            description = "Kafka brokers (sluice.kafka.bootstrap-servers). Required.")
    String bootstrapServers;

    @Option(
            names = "--logs-topic",
            paramLabel = "TOPIC",
            description = "Forwarded logs (sluice.kafka.logs-topic; default sluice-logs).")
    String logsTopic;

    @Option(
            names = "--config-topic",
            paramLabel = "TOPIC",
            description =
                    "Compacted topic of config snapshots (sluice.kafka.config-topic; default"
                            + " sluice-config).")
    String configTopic;

    @Option(
            names = "--schema-topic",
            paramLabel = "TOPIC",
            description =
                    "Compacted topic of writer schemas (sluice.kafka.schema-topic; default"
                            + " sluice-schemas).")
    String schemaTopic;

    @Option(
            names = "--dlq-topic",
            paramLabel = "TOPIC",
            description =
                    "Undecodable records (sluice.kafka.dlq-topic; default sluice-dead-letters).")
    String dlqTopic;

    @Option(
            names = "--group-id",
            paramLabel = "ID",
            description = "Consumer group (sluice.kafka.group-id; default sluice).")
    String groupId;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "URI",
            description =
                    "Durable checkpoint directory (execution.checkpointing.dir). Required, here"
                            + " or in the cluster's config.")
    String checkpointDir;

    @Option(
            names = "--savepoint-dir",
            paramLabel = "URI",
            description = "Default savepoint directory (execution.checkpointing.savepoint-dir).")
    String savepointDir;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Parallelism of the job (parallelism.default).")
    Integer parallelism;

    @Option(
            names = "--max-active-jobs",
            paramLabel = "N",
            description =
                    "Open batches per buffer subtask before the oldest is delivered early"
                            + " (sluice.buffer.max-active-jobs; default 10000).")
    Integer maxActiveJobs;

    @Option(
            names = "--buffer-max-bytes",
            paramLabel = "SIZE",
            description =
                    "Bytes the open batches of one buffer subtask hold before the largest are"
                            + " delivered early (sluice.buffer.max-bytes; default 256 mb).")
    String bufferMaxBytes;

    @Option(
            names = "--park-destination",
            paramLabel = "DESTINATION",
            description =
                    "Where batches of a failing destination are parked"
                            + " (sluice.sink.park-destination).")
    String parkDestination;

    @Option(
            names = "--manifest-destination",
            paramLabel = "DESTINATION",
            description = "Where object manifests go (sluice.manifest.destination).")
    String manifestDestination;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Any Sluice or Flink setting; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        CommandLine cli = new CommandLine(new SluiceJobCommand());
        SluiceJobCommand command = parse(cli, args);
        if (cli.isUsageHelpRequested()) {
            cli.usage(System.out);
        } else if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(System.out);
        } else {
            command.submit();
        }
    }

    /** Parses the arguments; syntax errors and unknown options become the job's refusal. */
    public static SluiceJobCommand parse(String... args) {
        return parse(new CommandLine(new SluiceJobCommand()), args);
    }

    private static SluiceJobCommand parse(CommandLine cli, String... args) {
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new InvalidJobArgumentsException(List.of(e.getMessage()));
        }
        return cli.getCommand();
    }

    /** The settings the arguments give: {@code --set}s, then the named options over them. */
    public Configuration settings() {
        Map<String, String> all = new LinkedHashMap<>(settings);
        Configuration named = new Configuration();
        setIfGiven(named, SluiceOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        setIfGiven(named, SluiceOptions.LOGS_TOPIC, logsTopic);
        setIfGiven(named, SluiceOptions.CONFIG_TOPIC, configTopic);
        setIfGiven(named, SluiceOptions.SCHEMA_TOPIC, schemaTopic);
        setIfGiven(named, SluiceOptions.DLQ_TOPIC, dlqTopic);
        setIfGiven(named, SluiceOptions.GROUP_ID, groupId);
        setIfGiven(named, CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        setIfGiven(named, CheckpointingOptions.SAVEPOINT_DIRECTORY, savepointDir);
        setIfGiven(named, SluiceOptions.PARK_DESTINATION, parkDestination);
        setIfGiven(named, SluiceOptions.MANIFEST_DESTINATION, manifestDestination);
        if (parallelism != null) {
            all.put(CoreOptions.DEFAULT_PARALLELISM.key(), parallelism.toString());
        }
        if (maxActiveJobs != null) {
            all.put(SluiceOptions.BUFFER_MAX_ACTIVE_JOBS.key(), maxActiveJobs.toString());
        }
        if (bufferMaxBytes != null) {
            all.put(SluiceOptions.BUFFER_MAX_BYTES.key(), bufferMaxBytes);
        }
        all.putAll(named.toMap());
        return SluiceJob.withDefaults(Configuration.fromMap(all));
    }

    /**
     * Every problem with the arguments that can be known before submission, on top of a cluster's
     * own settings ({@code cluster}; empty when unknown, in which case a directory the cluster
     * would supply is reported missing): unknown keys, values that do not parse, and the checks of
     * {@link JobSettingsCheck}. The start config file is read only at submission.
     */
    public List<String> problems(Configuration cluster) {
        List<String> problems = new ArrayList<>(JobSettingsCheck.unknownKeys(settings.keySet()));
        try {
            Configuration effective = new Configuration(cluster);
            effective.addAll(settings());
            problems.addAll(JobSettingsCheck.problems(effective));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** {@link #problems(Configuration)} of the arguments alone. */
    public List<String> problems() {
        return problems(new Configuration());
    }

    /** Checks everything against the effective settings, then builds and submits the job. */
    void submit() throws Exception {
        List<String> problems = new ArrayList<>(JobSettingsCheck.unknownKeys(settings.keySet()));
        StartConfigFile startConfig = null;
        if (config != null) {
            try {
                startConfig = SluiceJob.readStartConfig(config);
            } catch (InvalidConfigException | IOException e) {
                problems.add("--config " + config + ": " + e.getMessage());
            }
        }
        StreamExecutionEnvironment env;
        Configuration effective;
        try {
            env = StreamExecutionEnvironment.getExecutionEnvironment(settings());
            effective = Configuration.fromMap(env.getConfiguration().toMap());
            problems.addAll(JobSettingsCheck.problems(effective));
        } catch (IllegalArgumentException e) {
            // A value Flink cannot parse (a size, a duration, a number) fails before any check.
            problems.add(e.getMessage());
            throw new InvalidJobArgumentsException(problems);
        }
        if (startConfig != null) {
            startConfig
                    .refusal(SluiceOptions.guard(effective))
                    .ifPresent(reason -> problems.add("--config " + config + ": " + reason));
        }
        if (config == null
                && effective.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isEmpty()) {
            problems.add(
                    "no --config and no savepoint to restore (flink run -s, or --set"
                            + " execution.state-recovery.path=…); the job never runs without a"
                            + " configuration");
        }
        if (!problems.isEmpty()) {
            throw new InvalidJobArgumentsException(problems);
        }
        SluiceJob.define(env, effective, startConfig);
        env.execute(effective.getOptional(PipelineOptions.NAME).orElse("sluice"));
    }

    private static void setIfGiven(Configuration conf, ConfigOption<String> option, String value) {
        if (value != null) {
            conf.set(option, value);
        }
    }
}
