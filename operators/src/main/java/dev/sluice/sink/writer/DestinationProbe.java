package dev.sluice.sink.writer;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.park.DestinationHealth;
import dev.sluice.sink.store.ObjectStores;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/** Checks destinations whose cooldown ended, off the task thread, one at a time. */
final class DestinationProbe implements DestinationHealth.Probe, AutoCloseable {

    private static final String PROBE_NAME = ".sluice-probe";

    private final ObjectStores stores;

    private final ExecutorService probes =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "sluice-destination-probe");
                        t.setDaemon(true);
                        return t;
                    });

    private DestinationProbe(ObjectStores stores) {
        this.stores = stores;
    }

    /** Probes the destinations {@code health} skips once their cooldown ends. */
    static DestinationProbe start(
            ObjectStores stores, DestinationHealth health, LongSupplier clock) {
        DestinationProbe probe = new DestinationProbe(stores);
        health.probeWith(probe, probe.probes, clock);
        return probe;
    }

    /**
     * Starts and aborts an upload under the destination's prefix: what a batch would need first,
     * and nothing stays behind.
     */
    @Override
    public void check(String conf) throws IOException {
        Destination d = Destination.parse(conf);
        stores.forDestination(d)
                .begin(d, ObjectKeys.listingPrefix(d) + PROBE_NAME, "text/plain", Map.of())
                .abort();
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
