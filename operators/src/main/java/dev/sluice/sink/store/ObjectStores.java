package dev.sluice.sink.store;

import dev.sluice.config.Destination;

import java.util.HashMap;
import java.util.Map;

/**
 * The stores of one writer or committer: one S3 client per distinct endpoint and credentials,
 * reused across jobs, and one bounded pool of part uploads, closed together. The task thread uses
 * it, and a health probe's thread may look a store up too.
 */
public final class ObjectStores implements AutoCloseable {

    private final Map<S3ClientSettings, ObjectStore> s3 = new HashMap<>();
    private final ObjectStore files = new FileObjectStore();

    /** Shared by the S3 stores of this writer: the bound on parts in flight is per writer. */
    private final PartUploads uploads = new PartUploads(PartUploads.DEFAULT_MAX_IN_FLIGHT);

    public synchronized ObjectStore forDestination(Destination destination) {
        if ("file".equals(destination.scheme())) {
            return files;
        }
        return s3.computeIfAbsent(
                S3ClientSettings.of(destination),
                settings -> S3ObjectStore.create(settings, uploads));
    }

    @Override
    public synchronized void close() {
        s3.values().forEach(ObjectStore::close);
        s3.clear();
        uploads.close();
    }
}
