package dev.sluice.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A run's CPU cores are taken over the time its CPU was metered, not over the run alone. */
class RunFiguresTest {

    @Test
    void cpuCoresAreOverTheMeteredTime() {
        // 9 CPU-seconds metered over 4.5 s (a tear-down after a 1.5 s run): 2 cores, not 6.
        RunFigures run =
                new RunFigures(1.5, 66_000, 9.0, 4.5, 1L << 30, 1L << 29, 1_000, 1, Map.of());

        assertThat(run.cpuCores()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void aReportWrittenBeforeTheMeteredTimeWasKeptFallsBackToTheRunsTime() {
        RunFigures run = new RunFigures(2.0, 50_000, 3.0, 0, 1L << 30, 1L << 29, 40, 1, Map.of());

        assertThat(run.cpuCores()).isCloseTo(1.5, within(1e-9));
    }
}
