package dev.sluice.local;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The local command's options as a person types them. */
class LocalCommandTest {

    @Test
    void badDurationIsAUsageErrorOfTheLocalCommand() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new LocalCommand());
        command.setErr(new PrintWriter(err));
        assertThat(command.execute("--duration", "abc")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("Invalid value for option '--duration': 'abc' is not a duration")
                .doesNotContain("Exception");
    }
}
