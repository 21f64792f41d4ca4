package dev.sluice.metrics;

import java.util.function.LongSupplier;

/**
 * Lets a repeated log line through at most once per interval and counts the ones held back, so a
 * flood of bad input costs a line a second, not a disk. The counters stay exact; only the log is
 * thinned. For one thread (a task's), not shared.
 */
public final class LogLimiter {

    private final long intervalMillis;
    private final LongSupplier clock;
    private long nextAt;
    private long held;

    public LogLimiter(long intervalMillis, LongSupplier clock) {
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    /** One line a second, by the wall clock. */
    public static LogLimiter perSecond() {
        return new LogLimiter(1000, System::currentTimeMillis);
    }

    /** Whether to log now; if so, {@link #takeHeld} tells how many were held back before. */
    public boolean allow() {
        long now = clock.getAsLong();
        if (now >= nextAt) {
            nextAt = now + intervalMillis;
            return true;
        }
        held++;
        return false;
    }

    /** Lines held back since the last one let through, and starts counting again. */
    public long takeHeld() {
        long h = held;
        held = 0;
        return h;
    }
}
