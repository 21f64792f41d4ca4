package dev.sluice.jobs;

import dev.sluice.buffer.BufferSettings;
import dev.sluice.sink.SinkSettings;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job refuses to start without a valid configuration and valid settings, says why for each
 * problem at once, and never exits the JVM it runs in (on a cluster, the JobManager's).
 */
class SluiceJobCommandTest {

    private static final String VALID =
            "{\"version\":1,\"jobs\":[{\"id\":1,\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                + "\"destination_conf\":\"s3://logs-bucket/acme\"}]}";

    @TempDir Path dir;

    /** {@code args} with the settings every cluster job needs, a park store included. */
    private String[] withKafkaAndCheckpoints(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                "127.0.0.1:9092",
                                "--checkpoint-dir",
                                "file:///tmp/checkpoints"));
        if (!List.of(args).contains("--park-destination")) {
            all.addAll(List.of("--park-destination", "file:///tmp/parked"));
        }
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    void refusesToRunWithoutAParkStoreUnlessDeclinedOnPurpose() throws Exception {
        String[] noPark = {
            "--bootstrap-servers", "127.0.0.1:9092", "--checkpoint-dir", "file:///tmp/checkpoints"
        };
        assertThat(SluiceJobCommand.parse(noPark).problems())
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains("sluice.sink.park-destination")
                                        .contains("is required")
                                        .contains("'none'"));

        SluiceJobCommand declined =
                SluiceJobCommand.parse(withKafkaAndCheckpoints("--park-destination", "none"));
        assertThat(declined.problems()).isEmpty();
        assertThat(SluiceOptions.sink(declined.settings()).parkDestination())
                .as("discards a failing destination's batches, never fails the task")
                .isEqualTo(SinkSettings.NO_PARK_DESTINATION);
    }

    /** Flink's committer must not fail the task before Sluice's committer gives up on one job. */
    @Test
    void refusesCommitterRetriesThatWouldFailTheTaskBeforeOneJobIsGivenUpOn() throws Exception {
        SluiceJobCommand tooFew =
                SluiceJobCommand.parse(
                        withKafkaAndCheckpoints("--set", "sink.committer.retries=3"));
        assertThat(tooFew.problems())
                .anySatisfy(p -> assertThat(p).contains("sink.committer.retries").contains("7"));
        assertThat(
                        SluiceJobCommand.parse(
                                        withKafkaAndCheckpoints(
                                                "--set", "sink.committer.retries=7"))
                                .problems())
                .isEmpty();
    }

    @Test
    void refusesABlankConfig() throws Exception {
        Path config = Files.writeString(dir.resolve("blank.json"), "{\"version\":2,\"jobs\":[]}");

        assertThatThrownBy(
                        () ->
                                SluiceJobCommand.main(
                                        withKafkaAndCheckpoints("--config", config.toString())))
                .isInstanceOf(InvalidJobArgumentsException.class)
                .hasMessageContaining("not starting")
                .hasMessageContaining("blank configuration is never applied");
    }

    /** The start config passes the same rule as an update: no secret written inline. */
    @Test
    void refusesAStartConfigWithInlineKeysUnderRejectAndTakesItUnderAllow() throws Exception {
        Path config =
                Files.writeString(
                        dir.resolve("inline.json"),
                        VALID.replace(
                                "s3://logs-bucket/acme",
                                "s3://logs-bucket/acme?access-key-id=AKIA&secret-access-key=s3cr3t"));
        String[] args =
                withKafkaAndCheckpoints(
                        "--config",
                        config.toString(),
                        "--set",
                        "sluice.config.inline-credentials=reject");

        assertThatThrownBy(() -> SluiceJobCommand.main(args))
                .isInstanceOf(InvalidJobArgumentsException.class)
                .hasMessageContaining("inline.json")
                .hasMessageContaining("job 1")
                .hasMessageContaining("credentials=NAME")
                .message()
                .doesNotContain("s3cr3t");
        StartConfigFile file = StartConfigFile.read(config);
        assertThat(file.refusal(dev.sluice.config.GuardSettings.defaults())).as("allow").isEmpty();
        assertThatThrownBy(
                        () ->
                                SluicePipeline.define(
                                        null,
                                        null,
                                        file,
                                        dev.sluice.config.GuardSettings.defaults()
                                                .withInlineCredentialsRejected(true),
                                        null,
                                        0,
                                        null,
                                        null))
                .as("a job defined in code is held to it as well")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the start config writes credentials inline");
    }

    @Test
    void refusesAMissingConfigFile() {
        String missing = dir.resolve("nope.json").toString();

        assertThatThrownBy(
                        () -> SluiceJobCommand.main(withKafkaAndCheckpoints("--config", missing)))
                .hasMessageContaining("nope.json")
                .hasMessageContaining("does not exist");
    }

    @Test
    void refusesToStartWithoutKafkaOrCheckpointDirectory() throws Exception {
        Path config = Files.writeString(dir.resolve("ok.json"), VALID);

        assertThatThrownBy(
                        () -> SluiceJobCommand.main(new String[] {"--config", config.toString()}))
                .isInstanceOf(InvalidJobArgumentsException.class)
                .hasMessageContaining("sluice.kafka.bootstrap-servers")
                .hasMessageContaining("execution.checkpointing.dir (--checkpoint-dir) is required");
    }

    @Test
    void refusesToStartWithNeitherAConfigNorASavepoint() {
        assertThatThrownBy(() -> SluiceJobCommand.main(withKafkaAndCheckpoints()))
                .hasMessageContaining("no --config and no savepoint to restore");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        SluiceJobCommand command =
                SluiceJobCommand.parse(
                        "--bootstrap-servers", "kafka",
                        "--logs-topic", "logs",
                        "--dlq-topic", "logs",
                        "--config-topic", "bad/topic",
                        "--checkpoint-dir", "relative/dir",
                        "--parallelism", "0",
                        "--max-active-jobs", "0",
                        "--set", "sluice.buffer.max-active-job=5");

        assertThat(command.problems())
                .anySatisfy(p -> assertThat(p).contains("'kafka' is not HOST:PORT"))
                .anySatisfy(p -> assertThat(p).contains("'bad/topic' is not a Kafka topic name"))
                .anySatisfy(p -> assertThat(p).contains("sluice.kafka.dlq-topic 'logs' is also"))
                .anySatisfy(p -> assertThat(p).contains("'relative/dir' needs a scheme"))
                .anySatisfy(p -> assertThat(p).contains("parallelism.default (--parallelism)"))
                .anySatisfy(p -> assertThat(p).startsWith("buffer: "))
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains("unknown setting sluice.buffer.max-active-job")
                                        .contains("did you mean sluice.buffer.max-active-jobs?"));
    }

    @Test
    void leavesAnUnsetBufferMemoryToEachSubtaskAndRefusesOneUnderAChunk() {
        Configuration conf = new Configuration();
        assertThat(SluiceOptions.buffer(conf).memoryBytes())
                .as("unset: each subtask takes its share of heap when it opens")
                .isEqualTo(BufferSettings.AUTO_MEMORY);

        conf.set(SluiceOptions.BUFFER_MEMORY, MemorySize.parse("96 mb"));
        assertThat(SluiceOptions.buffer(conf).memoryBytes()).isEqualTo(96L << 20);

        for (String tooSmall : List.of("512 kb", "0")) {
            SluiceJobCommand command =
                    SluiceJobCommand.parse(
                            withKafkaAndCheckpoints("--set", "sluice.buffer.memory=" + tooSmall));
            assertThat(command.problems())
                    .as("sluice.buffer.memory=%s", tooSmall)
                    .singleElement()
                    .asString()
                    .startsWith("buffer: ")
                    .contains("must hold at least one chunk");
        }
    }

    @Test
    void refusesAnInvalidParkDestination() {
        SluiceJobCommand command =
                SluiceJobCommand.parse(withKafkaAndCheckpoints("--park-destination", "ftp://x/y"));

        assertThat(command.problems()).singleElement().asString().startsWith("sink: ");
    }

    @Test
    void refusesAnUnknownOption() {
        assertThatThrownBy(() -> SluiceJobCommand.parse("--bogus"))
                .isInstanceOf(InvalidJobArgumentsException.class)
                .hasMessageContaining("Unknown option: '--bogus'");
    }

    @Test
    void namedOptionsSetTheirKeysAndWinOverSet() {
        SluiceJobCommand command =
                SluiceJobCommand.parse(
                        "--bootstrap-servers", "a:9092,b:9092",
                        "--set", "sluice.kafka.bootstrap-servers=ignored:1",
                        "--checkpoint-dir", "s3://state/checkpoints",
                        "--savepoint-dir", "s3://state/savepoints",
                        "--parallelism", "6",
                        "--max-active-jobs", "500",
                        "--buffer-max-bytes", "64 mb",
                        "--group-id", "sluice-eu",
                        "--park-destination", "s3://ops/parked",
                        "--set", "sluice.sink.destination-cooldown=1 min");

        Configuration conf = command.settings();
        assertThat(command.problems()).isEmpty();
        assertThat(conf.get(SluiceOptions.BOOTSTRAP_SERVERS)).isEqualTo("a:9092,b:9092");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("s3://state/checkpoints");
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
                .isEqualTo("s3://state/savepoints");
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(6);
        assertThat(conf.get(SluiceOptions.BUFFER_MAX_ACTIVE_JOBS)).isEqualTo(500);
        assertThat(conf.get(SluiceOptions.BUFFER_MAX_BYTES)).isEqualTo(MemorySize.parse("64 mb"));
        assertThat(conf.get(SluiceOptions.GROUP_ID)).isEqualTo("sluice-eu");
        assertThat(conf.get(SluiceOptions.DESTINATION_COOLDOWN)).hasSeconds(60);
        assertThat(SluiceOptions.sink(conf).parkDestination()).isEqualTo("s3://ops/parked");
    }

    @Test
    void printsHelpWithoutStarting() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            SluiceJobCommand.main(new String[] {"--help"});
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--bootstrap-servers")
                .contains("--checkpoint-dir");
    }
}
