package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.config.S3ApiSettings;

import java.util.HashMap;
import java.util.Map;

/**
 * The stores of one writer, committer or tool: one S3 client per distinct endpoint and credentials,
 * reused across jobs, and one bounded pool of part uploads, closed together. The task thread uses
 * it, and a health probe's thread may look a store up too. The stores it gives are its own: close
 * this, never them.
 */
public final class ObjectStores implements AutoCloseable {

    private final Map<S3ApiSettings, ObjectStore> s3 = new HashMap<>();
    private final ObjectStore files = new FileObjectStore();

    /** Shared by the S3 stores of this writer: the bound on parts in flight is per writer. */
    private final PartUploads uploads = new PartUploads(PartUploads.DEFAULT_MAX_IN_FLIGHT);

    /**
     * The store of {@code destination}'s kind. Throws {@link IllegalArgumentException} when its
     * parameters cannot address a store (an endpoint that is not a URI, a timeout that is not a
     * number).
     */
    public synchronized ObjectStore forDestination(Destination destination) {
        return switch (destination.kind().protocol()) {
            case LOCAL_FILES -> files;
            case S3_API ->
                    s3.computeIfAbsent(
                            S3Clients.settingsOf(destination),
                            settings -> S3ObjectStore.create(settings, uploads));
        };
    }

    @Override
    public synchronized void close() {
        s3.values().forEach(ObjectStore::close);
        s3.clear();
        uploads.close();
    }
}
