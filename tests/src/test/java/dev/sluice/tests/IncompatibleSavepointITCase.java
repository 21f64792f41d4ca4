package dev.sluice.tests;

import dev.sluice.savepoints.SavepointCommand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A savepoint whose state this build cannot read (here: the committed fixture with its buffer
 * state's Avro type renamed, as a build with other state classes would have written it) is refused
 * by the savepoint tool with a clear message, not a stack trace.
 */
class IncompatibleSavepointITCase {

    @TempDir Path dir;

    @Test
    void inspectRefusesStateThisBuildCannotRead() throws Exception {
        URL fixture =
                getClass().getResource("/" + SavepointFixture.resourceDir("v1") + "/_metadata");
        String metadata =
                new String(
                        Files.readAllBytes(Path.of(fixture.getPath())),
                        StandardCharsets.ISO_8859_1);
        Path savepoint = Files.createDirectories(dir.resolve("other-build"));
        Files.write(
                savepoint.resolve("_metadata"),
                metadata.replace("dev.sluice.schemas.state", "dev.sluice.schemas.statX")
                        .getBytes(StandardCharsets.ISO_8859_1));
        StringWriter err = new StringWriter();
        CommandLine cli = SavepointCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));

        int status = cli.execute("inspect", savepoint.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("its state cannot be read by this build");
    }
}
