package dev.sluice.savepoints;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paths that are not Sluice savepoints: refused before any Flink job runs, with exit code 2. {@code
 * drain-check} resolves its path as {@code inspect} does, so the shared refusals run for both.
 */
class InspectCommandTest {

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "drain-check"})
    void refusesAPathThatDoesNotExist(String command) {
        CommandRun run = CommandRun.of(command, dir.resolve("missing").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("sluice savepoint " + command + ": ")
                .contains("missing does not exist")
                .contains("expected a savepoint");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void refusesADirectoryWithoutMetadata() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not a savepoint");

        CommandRun run = CommandRun.of("inspect", dir.toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("is not a savepoint or checkpoint: it has no _metadata file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "drain-check"})
    void namesTheSnapshotsInAParentDirectory(String command) throws Exception {
        for (String snapshot : new String[] {"chk-7", "chk-12"}) {
            Files.createDirectories(dir.resolve(snapshot));
            Files.writeString(dir.resolve(snapshot).resolve("_metadata"), "");
        }

        CommandRun run = CommandRun.of(command, dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("it has no _metadata file")
                .contains("pass one of them: chk-12, chk-7");
    }

    @Test
    void refusesAFileThatIsNotMetadata() throws Exception {
        Path file = Files.writeString(dir.resolve("savepoint.tar"), "");

        CommandRun run = CommandRun.of("inspect", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is a file, not a savepoint");
    }

    @Test
    void requiresASubcommand() {
        assertThat(CommandRun.of().exitCode()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "drain-check"})
    void requiresAPath(String command) {
        CommandRun run = CommandRun.of(command);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'PATH'");
    }
}
