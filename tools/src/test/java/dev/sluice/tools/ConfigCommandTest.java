package dev.sluice.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The dry run prints the diff and the verdict the job would reach. */
class ConfigCommandTest {

    private static final String CURRENT =
            snapshot(1, job(1, "a", true), job(2, "b", true), job(3, "c", true));

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A config snapshot of {@code version} with these jobs. */
    private static String snapshot(int version, String... jobs) {
        return "{\"version\": " + version + ", \"jobs\": [" + String.join(",", jobs) + "]}";
    }

    private static String job(long id, String customer, boolean enabled) {
        return String.format(
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                        + " \"enabled\": %s, \"destination_conf\": \"s3://logs-bucket/%s"
                        + "?access-key-id=AKIA&secret-access-key=TOPSECRET\"}",
                id, customer, enabled, customer);
    }

    private int diff(String next) throws Exception {
        Path current = Files.writeString(dir.resolve("current.json"), CURRENT);
        Path nextFile = Files.writeString(dir.resolve("next.json"), next);
        CommandLine cli = new CommandLine(new ConfigCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute("diff", "--current", current.toString(), "--next", nextFile.toString());
    }

    @Test
    void showsWhatChangesAndThatTheJobWouldApplyIt() throws Exception {
        int status =
                diff(
                        snapshot(
                                2,
                                job(1, "a", true),
                                job(2, "b", false),
                                job(3, "c", true),
                                job(4, "d", true)));

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains("added     1 [4]")
                .contains("disabled  1 [2]")
                .contains("verdict: ACCEPTED: version 2 in force")
                .doesNotContain("TOPSECRET");
    }

    @Test
    void predictsTheGuardRefusingAMassDisable() throws Exception {
        int status = diff(snapshot(2, job(1, "a", true), job(2, "b", false), job(3, "c", false)));

        assertThat(status).isEqualTo(1);
        assertThat(out.toString())
                .contains("verdict: REJECTED: version 2 would disable or remove 2 of 3");
    }

    @Test
    void predictsTheBlankConfigIsRefused() throws Exception {
        assertThat(diff(snapshot(9))).isEqualTo(1);
        assertThat(out.toString()).contains("blank configuration is never applied");
    }

    @Test
    void takesDeltas() throws Exception {
        assertThat(diff("{\"version\": 2, \"delete\": 3}")).isZero();
        assertThat(out.toString()).contains("removed   1 [3]");
    }

    @Test
    void rejectsAnUnreadableCurrentConfig() throws Exception {
        Path current = Files.writeString(dir.resolve("bad.json"), "{");
        CommandLine cli = new CommandLine(new ConfigCommand());
        cli.setErr(new PrintWriter(err));

        assertThat(
                        cli.execute(
                                "diff",
                                "--current",
                                current.toString(),
                                "--next",
                                current.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("not a config snapshot");
    }
}
