package dev.sluice.sink;

import dev.sluice.buffer.BatchChunk;
import dev.sluice.config.Destination;
import dev.sluice.sink.store.ObjectStores;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stages each batch as a pending object, streaming its chunks into the store as they arrive (at
 * most one part in memory), and hands the pending objects to Flink at the next checkpoint. Staging
 * is synchronous on the task thread: a slow store slows this writer, and Flink's backpressure
 * carries that back to the Kafka source instead of buffering without limit.
 *
 * <p>The first batch of a job this writer sees after a (re)start aborts that job's uploads with the
 * same or a later sequence: they can only be leftovers of a failed attempt.
 */
final class ObjectSinkWriter implements CommittingSinkWriter<BatchChunk, ObjectCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectSinkWriter.class);

    private final ObjectStores stores = new ObjectStores();
    private final Map<String, Destination> destinations = new HashMap<>();
    private final Set<Long> jobsSeen = new HashSet<>();
    private final List<ObjectCommittable> staged = new ArrayList<>();
    private BatchUpload current;
    private final Counter recordsOut;
    private final Counter bytesOut;
    private final Counter staleAborted;
    private final Counter staleCleanupFailed;

    ObjectSinkWriter(SinkWriterMetricGroup metrics) {
        this.recordsOut = metrics.getNumRecordsSendCounter();
        this.bytesOut = metrics.getNumBytesSendCounter();
        this.staleAborted = metrics.addGroup("sluice").counter("staleUploadsAborted");
        this.staleCleanupFailed = metrics.addGroup("sluice").counter("staleUploadCleanupsFailed");
    }

    @Override
    public void write(BatchChunk chunk, Context context) throws IOException {
        if (chunk.index == 0) {
            if (current != null) {
                current.abort();
                throw new IllegalStateException(
                        current.key() + " ended without its last chunk; " + chunk.key + " began");
            }
            current = begin(chunk);
        } else if (current == null) {
            throw new IllegalStateException(
                    "chunk " + chunk.index + " of " + chunk.key + " arrived without chunk 0");
        }
        current.append(chunk);
        bytesOut.inc(chunk.data.length);
        if (chunk.last) {
            staged.add(current.finish(chunk));
            current = null;
            recordsOut.inc(chunk.records);
        }
    }

    private BatchUpload begin(BatchChunk first) throws IOException {
        Destination destination =
                destinations.computeIfAbsent(first.destination, Destination::parse);
        if (jobsSeen.add(first.jobId)) {
            abortStale(destination, first);
        }
        return new BatchUpload(
                stores.forDestination(destination)
                        .begin(
                                destination,
                                first.key,
                                BatchUpload.contentType(first),
                                BatchUpload.metadata(first)),
                first);
    }

    /**
     * Best effort: a leftover upload costs storage, never correctness (it is never completed), so a
     * failed cleanup is logged and the batch still goes out.
     */
    private void abortStale(Destination destination, BatchChunk batch) {
        try {
            int aborted =
                    stores.forDestination(destination)
                            .abortStale(destination, batch.jobId, batch.seq);
            if (aborted > 0) {
                LOG.info(
                        "Aborted {} stale uploads of job {} from sequence {}",
                        aborted,
                        batch.jobId,
                        batch.seq);
                staleAborted.inc(aborted);
            }
        } catch (IOException e) {
            staleCleanupFailed.inc();
            LOG.warn(
                    "Could not clean up stale uploads of job {}; they are never completed, and a"
                        + " bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them:"
                        + " {}",
                    batch.jobId,
                    e.getMessage());
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // A batch's chunks arrive in one call of the chained buffer, so at a checkpoint every
        // batch is fully staged; nothing is held back.
    }

    @Override
    public Collection<ObjectCommittable> prepareCommit() {
        List<ObjectCommittable> ready = new ArrayList<>(staged);
        staged.clear();
        return ready;
    }

    @Override
    public void close() {
        if (current != null) {
            current.abort();
        }
        stores.close();
    }
}
