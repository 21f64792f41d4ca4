package dev.sluice.savepoints;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** drain-check refuses what inspect refuses, with the same messages and exit code 2. */
class DrainCheckCommandTest {

    @TempDir Path dir;

    @Test
    void refusesAPathThatDoesNotExist() {
        CommandRun run = CommandRun.of("drain-check", dir.resolve("missing").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("sluice savepoint drain-check: ")
                .contains("missing does not exist")
                .contains("expected a savepoint");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void namesTheSnapshotsInAParentDirectory() throws Exception {
        Files.createDirectories(dir.resolve("chk-3"));
        Files.writeString(dir.resolve("chk-3").resolve("_metadata"), "");

        CommandRun run = CommandRun.of("drain-check", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("it has no _metadata file")
                .contains("pass one of them: chk-3");
    }

    @Test
    void requiresAPath() {
        CommandRun run = CommandRun.of("drain-check");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'PATH'");
    }
}
