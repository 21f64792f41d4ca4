package dev.sluice.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench refuses counts it cannot run before it starts anything. */
class BenchCommandTest {

    @ParameterizedTest
    @CsvSource({
        "--records, 0, --records must be at least 1, was 0",
        "--customers, -3, --customers must be at least 1, was -3",
        "--repeats, 0, --repeats must be at least 1, was 0",
        "--warm-up-runs, -1, --warm-up-runs must be at least 0, was -1",
        "--scale-records, 0, --scale-records must be at least 1, was 0",
        "--scale-warm-up-runs, -2, --scale-warm-up-runs must be at least 0, was -2",
        "--latency-rate, 0, --latency-rate must be at least 1, was 0",
        "--scale, '10000,-5', --scale must be at least 0, was -5",
        "--checkpoint-interval, 0s, --checkpoint-interval must be positive, was PT0S",
    })
    void aCountItCannotRunIsRefusedWithTheOptionNamed(String option, String value, String message) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new BenchCommand());
        cmd.setErr(new PrintWriter(err));

        int exit = cmd.execute(option, value);

        assertThat(exit).isEqualTo(cmd.getCommandSpec().exitCodeOnInvalidInput());
        assertThat(err.toString()).contains(message).contains("Usage: bench");
    }
}
