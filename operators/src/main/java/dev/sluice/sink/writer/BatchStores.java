package dev.sluice.sink.writer;

import dev.sluice.config.Destination;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.park.ParkRoute;
import dev.sluice.sink.store.DestinationUnusableException;
import dev.sluice.sink.store.ObjectStores;
import dev.sluice.sink.store.StagedObject;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Where a writer's batches are staged: each job's destination, or the park store. */
final class BatchStores implements AutoCloseable {

    /**
     * Bytes of chunks kept in memory per batch so that a store failing midway can be left for the
     * park store; a larger batch keeps the rest in a local spill file ({@link RetainedChunks}).
     */
    static final long RETAIN_IN_MEMORY = 64L * 1024 * 1024;

    private final ObjectStores stores;
    private final ParkRoute park;
    private final Map<String, Destination> destinations = new HashMap<>();

    BatchStores(ObjectStores stores, ParkRoute park) {
        this.stores = stores;
        this.park = park;
    }

    ParkRoute park() {
        return park;
    }

    /**
     * Starts staging the batch of {@code first} in its own destination. A destination whose store
     * cannot even be set up (a setting the store refuses) fails as a store does, with an
     * IOException: it is that job's failure, parked like any other, never the task's.
     */
    BatchUpload begin(BatchChunk first) throws IOException {
        StagedObject staged;
        try {
            Destination destination = destination(first.destination);
            staged =
                    stores.forDestination(destination)
                            .begin(
                                    destination,
                                    first.key,
                                    BatchUpload.contentType(first),
                                    BatchUpload.metadata(first));
        } catch (RuntimeException e) {
            throw new DestinationUnusableException(first.destination, e);
        }
        return new BatchUpload(
                staged,
                first.destination,
                first.key,
                // Kept chunks only serve a move to the park store.
                park.enabled() ? RETAIN_IN_MEMORY : -1);
    }

    /** Starts staging the batch of {@code first} in the park store, under its parked key. */
    BatchUpload beginParked(BatchChunk first, String reason) throws IOException {
        return new BatchUpload(
                park.begin(
                        first.key,
                        BatchUpload.contentType(first),
                        BatchUpload.metadata(first),
                        first.destination,
                        reason),
                park.conf(),
                park.parkedKey(first.key),
                -1);
    }

    /** Parsed once per writer: every batch of a job names the same destination. */
    Destination destination(String conf) {
        return destinations.computeIfAbsent(conf, Destination::parse);
    }

    ObjectStores stores() {
        return stores;
    }

    @Override
    public void close() {
        stores.close();
    }
}
