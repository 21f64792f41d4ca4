package dev.sluice.savepoints;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths that are not Sluice savepoints: refused before any Flink job runs, with exit code 2. */
class InspectCommandTest {

    @TempDir Path dir;

    @Test
    void refusesAPathThatDoesNotExist() {
        CommandRun run = CommandRun.of("inspect", dir.resolve("missing").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing does not exist").contains("expected a savepoint");
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

    @Test
    void namesTheSnapshotsInAParentDirectory() throws Exception {
        for (String snapshot : new String[] {"chk-7", "chk-12"}) {
            Files.createDirectories(dir.resolve(snapshot));
            Files.writeString(dir.resolve(snapshot).resolve("_metadata"), "");
        }

        CommandRun run = CommandRun.of("inspect", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("pass one of them: chk-12, chk-7");
    }

    @Test
    void refusesAFileThatIsNotMetadata() throws Exception {
        Path file = Files.writeString(dir.resolve("savepoint.tar"), "");

        CommandRun run = CommandRun.of("inspect", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is a file, not a savepoint");
    }

    @Test
    void requiresASubcommandAndAPath() {
        assertThat(CommandRun.of().exitCode()).isEqualTo(2);
        CommandRun run = CommandRun.of("inspect");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'PATH'");
    }
}
