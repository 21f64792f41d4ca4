package dev.sluice.savepoints;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Configs and output paths that bootstrap refuses with exit code 2, before any Flink job runs. */
class BootstrapCommandTest {

    private static final String VALID =
            "{\"version\": 7, \"jobs\": [{\"id\": 1, \"customer_id\": \"cust-01\", \"dataset\":"
                    + " \"http_requests\", \"destination_conf\":"
                    + " \"s3://logs/cust-01/{DATE}?endpoint=http://127.0.0.1:9000"
                    + "&access-key-id=k&secret-access-key=s\"}]}";

    /** Two jobs with the same id, one with an unknown scheme and no customer. */
    private static final String INVALID =
            "{\"version\": 8, \"jobs\": ["
                    + "{\"id\": 1, \"customer_id\": \"cust-01\", \"dataset\": \"http_requests\","
                    + " \"destination_conf\": \"ftp://nowhere\"},"
                    + "{\"id\": 1, \"dataset\": \"http_requests\","
                    + " \"destination_conf\": \"s3://logs/x\"}]}";

    @TempDir Path dir;

    @Test
    void refusesAnInvalidConfigListingEveryProblem() throws Exception {
        Path config = Files.writeString(dir.resolve("config.json"), INVALID);
        Path out = dir.resolve("savepoint");

        CommandRun run = bootstrap(config, out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("sluice savepoint bootstrap: " + config + " is not a valid config")
                .contains("nothing written")
                .contains("  - job 1: destination_conf scheme 'ftp' is not one of")
                .contains("  - job id 1 appears more than once")
                .contains("  - job 1: customer_id is missing");
        assertThat(run.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void refusesAFileThatIsNotAConfig() throws Exception {
        Path config = Files.writeString(dir.resolve("config.json"), "version: 7");

        CommandRun run = bootstrap(config, dir.resolve("savepoint"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("  - not a config snapshot: ");
    }

    @Test
    void refusesAMissingConfigFile() {
        CommandRun run = bootstrap(dir.resolve("missing.json"), dir.resolve("savepoint"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing.json does not exist");
    }

    @Test
    void neverOverwritesAnExistingPath() throws Exception {
        Path config = Files.writeString(dir.resolve("config.json"), VALID);
        Path existing = Files.createDirectory(dir.resolve("savepoint-1"));

        CommandRun run = bootstrap(config, existing);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("savepoint-1 already exists").contains("never overwrites");
    }

    @Test
    void refusesAMaxParallelismFlinkCannotRestore() throws Exception {
        Path config = Files.writeString(dir.resolve("config.json"), VALID);

        CommandRun run =
                CommandRun.of(
                        "bootstrap",
                        "--config",
                        config.toString(),
                        "--out",
                        dir.resolve("savepoint").toString(),
                        "--max-parallelism",
                        "40000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("max parallelism must be between 1 and 32768, not 40000");
    }

    @Test
    void requiresBothOptions() {
        CommandRun run = CommandRun.of("bootstrap", "--config", "config.json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--out=PATH'");
    }

    private static CommandRun bootstrap(Path config, Path out) {
        return CommandRun.of("bootstrap", "--config", config.toString(), "--out", out.toString());
    }
}
