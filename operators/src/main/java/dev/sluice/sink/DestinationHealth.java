package dev.sluice.sink;

import java.util.HashMap;
import java.util.Map;

/**
 * Which destinations failed lately. A failed destination is skipped (its batches parked straight
 * away) for a cooldown that doubles with each failure in a row, up to a maximum; the first batch
 * after the cooldown tries it again, and a success forgets the failures. So a hanging or refusing
 * store costs one timeout per cooldown, not one per batch, and the other jobs keep flowing.
 */
final class DestinationHealth {

    private final long baseCooldownMillis;
    private final long maxCooldownMillis;
    private final Map<String, long[]> failures = new HashMap<>();

    DestinationHealth(long baseCooldownMillis, long maxCooldownMillis) {
        this.baseCooldownMillis = baseCooldownMillis;
        this.maxCooldownMillis = maxCooldownMillis;
    }

    /** Whether batches for {@code destination} should be parked without trying it. */
    boolean skip(String destination, long now) {
        long[] f = failures.get(destination);
        return f != null && now < f[1];
    }

    /** The destination failed at {@code now}. */
    void failed(String destination, long now) {
        long[] f = failures.computeIfAbsent(destination, d -> new long[2]);
        f[0]++;
        long cooldown = baseCooldownMillis << Math.min(f[0] - 1, 20);
        f[1] = now + Math.min(cooldown, maxCooldownMillis);
    }

    /** The destination took a batch: it is healthy again. */
    void succeeded(String destination) {
        failures.remove(destination);
    }

    /** Destinations whose last attempt failed. */
    int unhealthy() {
        return failures.size();
    }
}
