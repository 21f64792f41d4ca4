package dev.sluice.sink.writer;

import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.park.DestinationHealth;
import dev.sluice.sink.park.ParkRoute;
import dev.sluice.sink.store.ObjectStores;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Stages each batch as a pending object, streaming its chunks into the store as they arrive, and
 * hands the pending objects to Flink at the next checkpoint. The store's round trips run off the
 * task thread ({@link dev.sluice.sink.store.PartUploads}), so up to {@link
 * InFlightWindow#MAX_BATCHES_IN_FLIGHT} batches ({@link InFlightWindow#MAX_BYTES_IN_FLIGHT} bytes)
 * are being stored at once while the task thread compresses the next; past that bound the task
 * thread waits for the oldest, and Flink's backpressure carries a slow store back to the Kafka
 * source instead of buffering without limit. Every batch is acknowledged by the store before its
 * checkpoint's barrier passes ({@link #flush}).
 *
 * <p>Isolation: when a job's destination fails (after the client's own retries with backoff), the
 * batch is parked (see {@link ParkRoute}) in the park destination instead, the destination is
 * skipped for a cooldown ({@link DestinationHealth}) so it costs one timeout, not one per batch,
 * and the job counts as unhealthy until a batch of it is delivered. Nothing is dropped and the
 * Flink job does not fail. Without a park destination (the operator's explicit opt-out), the batch
 * is discarded and counted instead. Only a park store that fails too fails the job.
 *
 * <p>A batch of at most {@link SinkSettings#wholeObjectMaxBytes} is not staged: its chunks are held
 * as they come (all of a batch's chunks come in one call of the chained buffer), its committable
 * carries them as one object, and the committer writes it in one request once the checkpoint is
 * complete (see {@link dev.sluice.sink.committer.ObjectCommitter}), where staging takes three
 * (create, part, complete). Most batches are such: every job's batch closes at its interval, and
 * most jobs are small. A batch that outgrows the size is staged from the chunks held so far. What
 * whole objects add to one checkpoint is bounded ({@link
 * SinkSettings#MAX_WHOLE_BYTES_PER_CHECKPOINT}); past it, batches are staged.
 *
 * <p>Each batch is a {@link PendingBatch}; after a restart or a restore, a job's first batch aborts
 * the job's leftover uploads ({@link StaleUploadCleanup}).
 */
public final class ObjectSinkWriter implements CommittingSinkWriter<BatchChunk, ObjectCommittable> {

    private final BatchStores stores;
    private final WholeObjects whole;
    private final PendingBatch.Shared shared;
    private final StaleUploadCleanup cleanup;
    private final DestinationProbe probe;
    private final InFlightWindow inFlight = new InFlightWindow(this::ready);

    /** The batch whose chunks are arriving; null between batches. */
    private PendingBatch current;

    /** Batches the store acknowledged (or carried whole), for the next checkpoint. */
    private final List<PendingBatch> ready = new ArrayList<>();

    /**
     * A writer that stages every batch and looks for leftover uploads.
     *
     * @param parkConf the park destination's {@code destination_conf}; empty for none
     */
    public ObjectSinkWriter(
            SinkWriterMetricGroup metrics,
            String parkConf,
            DestinationHealth health,
            LongSupplier clock) {
        this(metrics, parkConf, health, clock, true, 0);
    }

    /**
     * @param abortStaleUploads whether a job's first batch aborts the job's leftover uploads; only
     *     a first attempt that restored nothing may leave it out
     * @param wholeObjectMaxBytes the largest batch handed over whole, not staged; 0 stages every
     *     batch
     */
    public ObjectSinkWriter(
            SinkWriterMetricGroup metrics,
            String parkConf,
            DestinationHealth health,
            LongSupplier clock,
            boolean abortStaleUploads,
            long wholeObjectMaxBytes) {
        WriterMetrics figures = new WriterMetrics(metrics);
        ObjectStores objectStores = new ObjectStores();
        this.stores =
                new BatchStores(
                        objectStores,
                        new ParkRoute(parkConf, health, clock, objectStores, figures.sluice()));
        this.whole = new WholeObjects(wholeObjectMaxBytes);
        this.shared = new PendingBatch.Shared(stores, whole, figures, clock);
        this.cleanup = new StaleUploadCleanup(stores, abortStaleUploads, figures.sluice());
        this.probe = DestinationProbe.start(objectStores, health, clock);
        figures.batchesInFlight(inFlight::size);
    }

    @Override
    public void write(BatchChunk chunk, Context context) throws IOException {
        if (chunk.index == 0) {
            begin(chunk);
        } else if (current == null) {
            throw new IllegalStateException(
                    "chunk " + chunk.index + " of " + chunk.key + " arrived without chunk 0");
        }
        current.add(chunk);
        if (chunk.last) {
            complete(current);
        }
    }

    private void begin(BatchChunk first) throws IOException {
        if (current != null) {
            current.abort();
            throw new IllegalStateException(
                    current.first().key + " ended without its last chunk; " + first.key + " began");
        }
        inFlight.settleAnswered();
        inFlight.makeRoom();
        long startedAt = shared.clock().getAsLong();
        cleanup.beforeBatch(first);
        current = PendingBatch.begin(first, startedAt, shared);
    }

    /** A whole batch is ready at once; a staged one once the store acknowledged its last byte. */
    private void complete(PendingBatch batch) throws IOException {
        current = null;
        if (batch.state() == PendingBatch.State.HELD) {
            batch.handOverWhole();
            ready(batch);
        } else if (batch.state() == PendingBatch.State.DISCARDED) {
            batch.ready();
        } else {
            inFlight.add(batch);
            inFlight.settleAnswered();
        }
    }

    private void ready(PendingBatch batch) {
        batch.ready();
        if (batch.state() != PendingBatch.State.DISCARDED) {
            ready.add(batch);
        }
    }

    /**
     * Waits until the store acknowledged every batch handed to it: at a checkpoint's barrier each
     * batch is then staged whole (a batch's chunks arrive in one call of the chained buffer, so
     * none is midway), and its committable goes into this checkpoint.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        inFlight.settleAll();
    }

    @Override
    public Collection<ObjectCommittable> prepareCommit() throws IOException {
        inFlight.settleAll();
        List<ObjectCommittable> committables = new ArrayList<>(ready.size());
        for (PendingBatch batch : ready) {
            committables.add(batch.handOver());
        }
        ready.clear();
        whole.handedOver();
        return committables;
    }

    /**
     * Gives up on every batch not handed to Flink (being written, with the store, or staged since
     * the last checkpoint): their uploads are aborted, never completed. What a checkpoint holds is
     * Flink's to commit.
     */
    @Override
    public void close() {
        probe.close();
        if (current != null) {
            current.abort();
        }
        inFlight.abortAll();
        ready.forEach(PendingBatch::abort); // whole objects were never sent
        ready.clear();
        stores.close();
    }
}
