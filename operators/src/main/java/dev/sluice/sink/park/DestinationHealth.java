package dev.sluice.sink.park;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Which destinations failed lately. A failed destination is skipped (its batches parked straight
 * away) for a cooldown that doubles with each failure in a row, up to a maximum. When the cooldown
 * ends, a probe checks the destination off the task thread while its batches are still parked; a
 * successful probe (or delivery) forgets the failures, a failed one starts the next cooldown. So a
 * hanging or refusing store holds up the task thread once, when it first fails, and the other jobs
 * keep flowing.
 *
 * <p>Called from the task thread, the probe's thread and the committer's threads, hence
 * synchronized.
 */
public final class DestinationHealth {

    /** Tries a destination; throws when it does not take an upload. */
    public interface Probe {
        void check(String destination) throws Exception;
    }

    private final long baseCooldownMillis;
    private final long maxCooldownMillis;
    private final Map<String, long[]> failures = new HashMap<>();
    private Probe probe;
    private Executor probes;
    private LongSupplier clock;

    public DestinationHealth(long baseCooldownMillis, long maxCooldownMillis) {
        this.baseCooldownMillis = baseCooldownMillis;
        this.maxCooldownMillis = maxCooldownMillis;
    }

    /**
     * Probes destinations whose cooldown ended with {@code probe} on {@code probes}; without this,
     * the first batch after a cooldown tries the destination itself.
     */
    public synchronized void probeWith(Probe probe, Executor probes, LongSupplier clock) {
        this.probe = probe;
        this.probes = probes;
        this.clock = clock;
    }

    /** Whether batches for {@code destination} should be parked without trying it. */
    public synchronized boolean skip(String destination, long now) {
        long[] f = failures.get(destination);
        if (f == null) {
            return false;
        }
        if (now < f[1]) {
            return true;
        }
        if (probe == null) {
            return false;
        }
        // Until the probe answers, the destination stays skipped.
        f[1] = Long.MAX_VALUE;
        probes.execute(() -> runProbe(destination));
        return true;
    }

    private void runProbe(String destination) {
        try {
            probe.check(destination);
            succeeded(destination);
        } catch (Exception e) {
            synchronized (this) {
                long[] f = failures.get(destination);
                if (f != null) {
                    f[1] = 0;
                }
            }
            failed(destination, clock.getAsLong());
        }
    }

    /** The destination failed at {@code now}. */
    public synchronized void failed(String destination, long now) {
        long[] f = failures.computeIfAbsent(destination, d -> new long[2]);
        f[0]++;
        long cooldown = baseCooldownMillis << Math.min(f[0] - 1, 20);
        f[1] = now + Math.min(cooldown, maxCooldownMillis);
    }

    /** The destination took a batch: it is healthy again. */
    public synchronized void succeeded(String destination) {
        failures.remove(destination);
    }

    /** Until when {@code destination} is skipped: 0 when healthy, MAX_VALUE while probed. */
    public synchronized long skippedUntil(String destination) {
        long[] f = failures.get(destination);
        return f == null ? 0 : f[1];
    }

    /** Destinations whose last attempt failed. */
    public synchronized int unhealthy() {
        return failures.size();
    }
}
