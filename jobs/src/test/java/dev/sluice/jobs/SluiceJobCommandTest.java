package dev.sluice.jobs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The job refuses to start without a valid configuration, and says why. */
class SluiceJobCommandTest {

    private static final String VALID =
            "{\"version\":1,\"jobs\":[{\"id\":1,\"customer_id\":\"acme\",\"dataset\":\"http_requests\","
                + "\"destination_conf\":\"s3://logs-bucket/acme\"}]}";

    @TempDir Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    private int run(String... args) {
        return new CommandLine(new SluiceJobCommand()).execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void refusesABlankConfig() throws Exception {
        Path config = Files.writeString(dir.resolve("blank.json"), "{\"version\":2,\"jobs\":[]}");

        assertThat(
                        run(
                                "--config",
                                config.toString(),
                                "--set",
                                "sluice.kafka.bootstrap-servers=127.0.0.1:1"))
                .isEqualTo(2);
        assertThat(stderr())
                .contains("not starting")
                .contains("blank configuration is never applied");
    }

    @Test
    void refusesAMissingConfigFile() {
        assertThat(run("--config", dir.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(stderr()).contains("nope.json").contains("does not exist");
    }

    @Test
    void refusesToStartWithoutKafka() throws Exception {
        Path config = Files.writeString(dir.resolve("ok.json"), VALID);

        assertThat(run("--config", config.toString())).isEqualTo(2);
        assertThat(stderr()).contains("sluice.kafka.bootstrap-servers");
    }

    @Test
    void refusesToStartWithNeitherAConfigNorASavepoint() {
        assertThat(run("--set", "sluice.kafka.bootstrap-servers=127.0.0.1:1")).isEqualTo(2);
        assertThat(stderr()).contains("no --config and no savepoint to restore");
    }
}
