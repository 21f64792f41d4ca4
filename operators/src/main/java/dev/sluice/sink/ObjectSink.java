package dev.sluice.sink;

import dev.sluice.buffer.BatchChunk;
import dev.sluice.config.Destination;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Delivers batches as objects to S3, R2, S3-compatible stores or local files, exactly once, and
 * optionally writes a manifest record per committed object ({@link ManifestWriter}).
 *
 * <p>Lifecycle of an object: the writer stages the batch chunk by chunk (an S3 multipart upload, or
 * a hidden temp file), and at the checkpoint hands the pending object to Flink as an {@link
 * ObjectCommittable}. Only after the checkpoint completes does the committer make it visible
 * (complete the upload, or rename the file) and check its length. Nothing is visible before all of
 * its bytes are stored; a restart from the checkpoint re-commits idempotently, and uploads of an
 * attempt that never reached a checkpoint are aborted.
 */
public final class ObjectSink implements Sink<BatchChunk>, SupportsCommitter<ObjectCommittable> {

    private static final long serialVersionUID = 1L;

    private final String manifestDestination;

    /** A sink that writes no manifests. */
    public ObjectSink() {
        this("");
    }

    /**
     * @param manifestDestination a {@code destination_conf} where the committer writes the JSON
     *     manifest of each object it commits; empty for none
     */
    public ObjectSink(String manifestDestination) {
        this.manifestDestination = manifestDestination;
        if (!manifestDestination.isEmpty()) {
            // Fails the job's construction on a bad value, not its tasks in a restart loop.
            Destination.parse(manifestDestination);
        }
    }

    @Override
    public SinkWriter<BatchChunk> createWriter(WriterInitContext context) {
        return new ObjectSinkWriter(context.metricGroup());
    }

    @Override
    public Committer<ObjectCommittable> createCommitter(CommitterInitContext context) {
        return new ObjectCommitter(ManifestWriter.to(manifestDestination));
    }

    @Override
    public SimpleVersionedSerializer<ObjectCommittable> getCommittableSerializer() {
        return new ObjectCommittableSerializer();
    }
}
