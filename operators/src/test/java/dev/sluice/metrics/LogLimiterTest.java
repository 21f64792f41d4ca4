package dev.sluice.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LogLimiterTest {

    @Test
    void letsOneLineThroughPerIntervalAndCountsTheRest() {
        AtomicLong clock = new AtomicLong(5_000);
        LogLimiter limiter = new LogLimiter(1000, clock::get);

        assertThat(limiter.allow()).isTrue();
        assertThat(limiter.takeHeld()).isZero();
        for (int i = 0; i < 500; i++) {
            assertThat(limiter.allow()).isFalse();
        }
        clock.addAndGet(999);
        assertThat(limiter.allow()).isFalse();
        clock.addAndGet(1);
        assertThat(limiter.allow()).isTrue();
        assertThat(limiter.takeHeld()).isEqualTo(501);
        assertThat(limiter.takeHeld()).isZero();
    }
}
