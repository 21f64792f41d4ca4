package dev.sluice.sink;

import dev.sluice.sink.committer.ManifestWriter;
import dev.sluice.sink.committer.ObjectCommitter;
import dev.sluice.sink.park.DestinationHealth;
import dev.sluice.sink.writer.ObjectSinkWriter;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Delivers batches as objects to S3, R2, S3-compatible stores or local files, exactly once, and
 * optionally writes a manifest record per committed object ({@link ManifestWriter}). A failing
 * destination's batches are parked instead ({@link Parking}), never dropped.
 *
 * <p>Lifecycle of an object: the writer stages the batch chunk by chunk (an S3 multipart upload, or
 * a hidden temp file), and at the checkpoint hands the pending object to Flink as an {@link
 * ObjectCommittable}. Only after the checkpoint completes does the committer make it visible
 * (complete the upload, or rename the file) and check its length. A small batch is not staged: its
 * committable carries its bytes through the checkpoint, and the committer writes it in one request.
 * Nothing is visible before all of its bytes are stored; a restart from the checkpoint re-commits
 * idempotently, and uploads of an attempt that never reached a checkpoint are aborted.
 */
public final class ObjectSink
        implements Sink<BatchChunk>,
                SupportsCommitter<ObjectCommittable>,
                SupportsPostCommitTopology<ObjectCommittable> {

    private static final long serialVersionUID = 1L;

    private final SinkSettings settings;

    /** What reads the committed objects (the jobs' status); null for nothing. */
    private final CommittedObjects afterCommit;

    /** A sink without manifests or a park destination. */
    public ObjectSink() {
        this(SinkSettings.none());
    }

    public ObjectSink(SinkSettings settings) {
        this(settings, null);
    }

    /**
     * @param afterCommit what reads the committed objects; null for nothing
     */
    public ObjectSink(SinkSettings settings, CommittedObjects afterCommit) {
        this.settings = settings;
        this.afterCommit = afterCommit;
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<ObjectCommittable>> committed) {
        if (afterCommit != null) {
            afterCommit.attach(committed);
        }
    }

    /**
     * Hands the buffer's opened batches to what follows the commit (see {@link CommittedObjects}).
     */
    public void followOpened(DataStream<BatchOpened> opened) {
        if (afterCommit != null) {
            afterCommit.followOpened(opened);
        }
    }

    @Override
    public SinkWriter<BatchChunk> createWriter(WriterInitContext context) {
        // A first attempt that restored nothing has no earlier attempt whose uploads it could
        // find: its sequences start from empty state. Listing stale uploads there would cost a
        // request per job for nothing (the benchmark found it the largest cost of a start).
        boolean restarted =
                context.getRestoredCheckpointId().isPresent()
                        || context.getTaskInfo().getAttemptNumber() > 0;
        return writer(context.metricGroup(), restarted);
    }

    /**
     * The writer on its own, for tools and measurements outside a Flink job: batches in as chunks,
     * committables out of {@code prepareCommit()}, committed with {@link #createCommitter}.
     */
    public CommittingSinkWriter<BatchChunk, ObjectCommittable> writer(
            SinkWriterMetricGroup metrics) {
        return writer(metrics, true);
    }

    private CommittingSinkWriter<BatchChunk, ObjectCommittable> writer(
            SinkWriterMetricGroup metrics, boolean abortStaleUploads) {
        return new ObjectSinkWriter(
                metrics,
                settings.parkDestination(),
                new DestinationHealth(settings.cooldownMillis(), settings.maxCooldownMillis()),
                System::currentTimeMillis,
                abortStaleUploads,
                settings.wholeObjectMaxBytes());
    }

    @Override
    public Committer<ObjectCommittable> createCommitter(CommitterInitContext context) {
        return new ObjectCommitter(
                ManifestWriter.to(settings.manifestDestination()),
                context.metricGroup(),
                settings.parkDestination(),
                new DestinationHealth(settings.cooldownMillis(), settings.maxCooldownMillis()));
    }

    @Override
    public SimpleVersionedSerializer<ObjectCommittable> getCommittableSerializer() {
        return new ObjectCommittableSerializer();
    }
}
