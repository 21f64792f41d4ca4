package dev.sluice.jobs;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command-line duration grammar the README shows, and a usage error for anything else. */
class DurationConverterTest {

    @Test
    void readsTheDocumentedForms() {
        assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationConverter.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse(" 10S ")).isEqualTo(Duration.ofSeconds(10));
        assertThat(DurationConverter.parse("0")).isZero();
    }

    @Test
    void refusesWhatIsNoDuration() {
        for (String bad : new String[] {"abc", "", "5x", "-5s", "60", "s"}) {
            assertThatThrownBy(() -> DurationConverter.parse(bad))
                    .as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("is not a duration")
                    .hasMessageContaining(DurationConverter.EXAMPLES);
        }
    }
}
