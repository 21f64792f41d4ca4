package dev.sluice.sink.writer;

import dev.sluice.config.Destination;
import dev.sluice.metrics.TopJobsMetrics;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.Parking;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.store.ObjectStores;
import dev.sluice.sink.store.Staging;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * Stages each batch as a pending object, streaming its chunks into the store as they arrive, and
 * hands the pending objects to Flink at the next checkpoint. The store's round trips run off the
 * task thread ({@link dev.sluice.sink.store.PartUploads}), so up to {@link #MAX_BATCHES_IN_FLIGHT}
 * batches ({@link #MAX_BYTES_IN_FLIGHT} bytes) are being stored at once while the task thread
 * compresses the next; past that bound the task thread waits for the oldest, and Flink's
 * backpressure carries a slow store back to the Kafka source instead of buffering without limit.
 * Every batch is acknowledged by the store before its checkpoint's barrier passes ({@link #flush}).
 *
 * <p>Isolation: when a job's destination fails (after the client's own retries with backoff), the
 * batch is parked (see {@link Parking}) in the park destination instead, the destination is skipped
 * for a cooldown ({@link DestinationHealth}) so it costs one timeout, not one per batch, and the
 * job counts as unhealthy until a batch of it is delivered. Nothing is dropped and the Flink job
 * does not fail. Without a park destination, a failure fails the job, which restarts from its
 * checkpoint with nothing lost. Only a park store that fails too, or a batch larger than the retain
 * limit failing midway, fails the job.
 *
 * <p>A batch of at most {@link SinkSettings#wholeObjectMaxBytes} is not staged: its chunks are held
 * as they come (all of a batch's chunks come in one call of the chained buffer), its committable
 * carries them as one object, and the committer writes it in one request once the checkpoint is
 * complete (see {@link ObjectCommitter}), where staging takes three (create, part, complete). Most
 * batches are such: every job's batch closes at its interval, and most jobs are small. A batch that
 * outgrows the size is staged from the chunks held so far. What whole objects add to one checkpoint
 * is bounded ({@link SinkSettings#MAX_WHOLE_BYTES_PER_CHECKPOINT}); past it, batches are staged.
 *
 * <p>The first batch of a job this writer sees after a restart or a restore aborts that job's
 * uploads with the same or a later sequence: they can only be leftovers of a failed attempt. A
 * first attempt that restored nothing skips this: no earlier attempt can have staged anything.
 */
public final class ObjectSinkWriter implements CommittingSinkWriter<BatchChunk, ObjectCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectSinkWriter.class);

    private static final String PROBE_NAME = ".sluice-probe";

    /** Chunks kept per batch so that a store failing midway can be left for the park store. */
    static final long RETAIN_LIMIT = 64L * 1024 * 1024;

    /** Batches handed to the store and not yet acknowledged, at most. */
    static final int MAX_BATCHES_IN_FLIGHT = 16;

    /** Bytes of batches handed to the store and not yet acknowledged before the writer waits. */
    static final long MAX_BYTES_IN_FLIGHT = 64L * 1024 * 1024;

    private final ObjectStores stores = new ObjectStores();
    private final Map<String, Destination> destinations = new HashMap<>();
    private final Set<Long> jobsSeen = new HashSet<>();
    private final Set<Long> unhealthyJobs = new HashSet<>();

    /** Batches the store acknowledged, for the next checkpoint. */
    private final List<StagingBatch> staged = new ArrayList<>();

    private final String parkConf;
    private final DestinationHealth health;
    private final LongSupplier clock;

    /** Whether a job's first batch looks for its leftover uploads (false on a fresh start). */
    private final boolean abortStaleUploads;

    /** The largest batch handed over whole; 0 for none. */
    private final long wholeObjectMaxBytes;

    /** Bytes of whole objects waiting for the next checkpoint. */
    private long wholeBytes;

    /** The current batch's chunks while it may still go whole. */
    private final List<byte[]> held = new ArrayList<>();

    private long heldBytes;

    private StagingBatch current;
    private final Deque<StagingBatch> inFlight = new ArrayDeque<>();
    private long inFlightBytes;
    private final Counter recordsOut;
    private final Counter bytesOut;
    private final Counter staleAborted;
    private final Counter staleCleanupFailed;
    private final Counter parkedBatches;
    private final Counter parkedRecords;
    private final Counter objectsStaged;
    private final Counter wholeObjects;
    private final Histogram stageMillis;
    private final TopJobsMetrics byJob;

    /** Checks destinations in their cooldown off the task thread, one at a time. */
    private final ExecutorService probes =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "sluice-destination-probe");
                        t.setDaemon(true);
                        return t;
                    });

    /** Jobs with their own metric series per writer; the rest are summed. */
    static final int TOP_JOBS = 20;

    private static final long TOP_JOBS_REFRESH_MILLIS = 10_000;

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
        this.abortStaleUploads = abortStaleUploads;
        this.wholeObjectMaxBytes = wholeObjectMaxBytes;
        this.parkConf = parkConf;
        this.health = health;
        this.clock = clock;
        this.recordsOut = metrics.getNumRecordsSendCounter();
        this.bytesOut = metrics.getNumBytesSendCounter();
        MetricGroup sluice = metrics.addGroup("sluice");
        this.staleAborted = sluice.counter("staleUploadsAborted");
        this.staleCleanupFailed = sluice.counter("staleUploadCleanupsFailed");
        this.parkedBatches = sluice.counter("parkedBatches");
        this.parkedRecords = sluice.counter("parkedRecords");
        this.objectsStaged = sluice.counter("objectsStaged");
        // Of those, the ones handed over whole, to be written at the commit.
        this.wholeObjects = sluice.counter("wholeObjects");
        // Milliseconds from a batch's first chunk to its last part stored (parked ones included).
        this.stageMillis =
                sluice.histogram("stageMillis", new DescriptiveStatisticsHistogram(1024));
        this.byJob =
                new TopJobsMetrics(
                        sluice,
                        TOP_JOBS,
                        TOP_JOBS_REFRESH_MILLIS,
                        System::currentTimeMillis,
                        "bytes",
                        "objects",
                        "stageMillis",
                        "parkedBatches");
        sluice.gauge("unhealthyDestinations", health::unhealthy);
        health.probeWith(this::probe, probes, clock);
        sluice.gauge("unhealthyJobs", unhealthyJobs::size);
        sluice.gauge("batchesInFlight", inFlight::size);
    }

    @Override
    public void write(BatchChunk chunk, Context context) throws IOException {
        if (chunk.index == 0) {
            if (current != null) {
                if (current.upload != null) {
                    current.upload.abort();
                }
                throw new IllegalStateException(
                        current.first.key
                                + " ended without its last chunk; "
                                + chunk.key
                                + " began");
            }
            settle(false);
            makeRoom();
            begin(chunk);
        } else if (current == null) {
            throw new IllegalStateException(
                    "chunk " + chunk.index + " of " + chunk.key + " arrived without chunk 0");
        }
        if (current.upload == null) {
            if (held(chunk)) {
                return;
            }
        } else {
            current.upload.expect(chunk);
            append(chunk.data);
        }
        if (chunk.last) {
            handOver(chunk);
            settle(false);
        }
    }

    private void begin(BatchChunk first) throws IOException {
        StagingBatch batch = new StagingBatch(first, clock.getAsLong());
        current = batch;
        Destination destination = destination(first.destination);
        if (abortStaleUploads && jobsSeen.add(first.jobId)) {
            abortStale(destination, first);
            if (!parkConf.isEmpty()) {
                abortStale(destination(parkConf), first);
            }
        }
        if (!parkConf.isEmpty() && health.skip(first.destination, clock.getAsLong())) {
            park(batch, "destination unhealthy: skipped during its cooldown");
            return;
        }
        if (wholeObjectMaxBytes > 0) {
            return; // held back while it may go whole: see held
        }
        startUpload(batch);
    }

    /** Starts staging {@code batch} in its destination, or in the park store if that fails. */
    private void startUpload(StagingBatch batch) throws IOException {
        BatchChunk first = batch.first;
        Destination destination = destination(first.destination);
        try {
            batch.upload =
                    new BatchUpload(
                            stores.forDestination(destination)
                                    .begin(
                                            destination,
                                            first.key,
                                            BatchUpload.contentType(first),
                                            BatchUpload.metadata(first)),
                            first.destination,
                            first.key,
                            // Kept chunks only serve a move to the park store.
                            parkConf.isEmpty() ? 0 : RETAIN_LIMIT);
        } catch (IOException e) {
            reroute(batch, e);
        }
    }

    /** Appends to the current batch's upload; a failing store reroutes it to the park store. */
    private void append(byte[] data) throws IOException {
        try {
            current.upload.append(data);
        } catch (IOException e) {
            reroute(current, e);
        }
        bytesOut.inc(data.length);
    }

    /**
     * Holds the current batch's chunks while they fit a whole object within the checkpoint's share,
     * and hands the batch over whole at its last chunk. A batch that outgrows that is staged after
     * all, from the chunks held so far, this one included.
     *
     * @return whether the chunk was held; false when the batch is now staged like any other
     */
    private boolean held(BatchChunk chunk) throws IOException {
        BatchUpload.expectNext(chunk, held.size(), current.first.key);
        held.add(chunk.data);
        heldBytes += chunk.data.length;
        if (heldBytes <= wholeObjectMaxBytes
                && wholeBytes + heldBytes <= SinkSettings.MAX_WHOLE_BYTES_PER_CHECKPOINT) {
            if (chunk.last) {
                handOverWhole(chunk);
            }
            return true;
        }
        startUpload(current);
        for (byte[] data : held) {
            append(data);
        }
        held.clear();
        heldBytes = 0;
        return false;
    }

    /** The current batch's chunks, held, are the whole object: its committable carries them. */
    private void handOverWhole(BatchChunk last) {
        byte[] body = concat(held, heldBytes);
        held.clear();
        heldBytes = 0;
        StagingBatch batch = current;
        current = null;
        batch.last = last;
        batch.stagedAt = clock.getAsLong();
        wholeBytes += body.length;
        bytesOut.inc(body.length);
        wholeObjects.inc();
        staged(batch, ObjectCommittable.whole(last, body));
    }

    /** Gzip members and zstd frames concatenate into one valid object. */
    private static byte[] concat(List<byte[]> chunks, long length) {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] body = new byte[Math.toIntExact(length)];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, body, at, chunk.length);
            at += chunk.length;
        }
        return body;
    }

    /** The current batch's last chunk is appended: the store finishes it while the next begins. */
    private void handOver(BatchChunk last) {
        StagingBatch batch = current;
        batch.last = last;
        batch.result = finishAsync(batch);
        inFlight.addLast(batch);
        inFlightBytes += batch.upload.length();
        current = null;
    }

    private CompletableFuture<ObjectCommittable> finishAsync(StagingBatch batch) {
        return batch.upload
                .finishAsync(batch.last)
                .whenComplete((c, failure) -> batch.stagedAt = clock.getAsLong());
    }

    /** Waits for the oldest batches while too many, or too many bytes, are with the store. */
    private void makeRoom() throws IOException {
        while (!inFlight.isEmpty()
                && (inFlight.size() >= MAX_BATCHES_IN_FLIGHT
                        || inFlightBytes >= MAX_BYTES_IN_FLIGHT)) {
            settleOldest();
        }
    }

    /**
     * Takes the batches the store acknowledged, oldest first, and stops at the first still under
     * way; with {@code all}, waits for every one.
     */
    private void settle(boolean all) throws IOException {
        while (!inFlight.isEmpty() && (all || inFlight.peekFirst().result.isDone())) {
            settleOldest();
        }
    }

    private void settleOldest() throws IOException {
        StagingBatch batch = inFlight.pollFirst();
        inFlightBytes -= batch.upload.length();
        ObjectCommittable committable;
        try {
            committable = Staging.await(batch.result);
        } catch (IOException e) {
            // Rare: parking from here waits for the park store on the task thread.
            reroute(batch, e);
            committable = Staging.await(batch.upload.finishAsync(batch.last));
            batch.stagedAt = clock.getAsLong();
        }
        staged(batch, committable);
    }

    private void staged(StagingBatch batch, ObjectCommittable committable) {
        BatchChunk last = batch.last;
        batch.committable = committable;
        staged.add(batch);
        recordsOut.inc(last.records);
        objectsStaged.inc();
        long millis = batch.stagedAt - batch.startedAt;
        stageMillis.update(millis);
        byJob.add(last.jobId, 0, committable.length());
        byJob.add(last.jobId, 1, 1);
        byJob.add(last.jobId, 2, millis);
        if (batch.parked) {
            parkedBatches.inc();
            parkedRecords.inc(last.records);
            byJob.add(last.jobId, 3, 1);
            unhealthyJobs.add(last.jobId);
        } else if (!committable.isWhole()) {
            // A whole object has not met its destination yet: the committer writes it.
            health.succeeded(last.destination);
            unhealthyJobs.remove(last.jobId);
        }
    }

    /**
     * The job's destination failed while staging {@code batch}: stage it in the park store instead,
     * from the chunks kept so far. Fails when there is no park store, the park store is what
     * failed, or the batch outgrew what is kept.
     */
    private void reroute(StagingBatch batch, IOException failure) throws IOException {
        if (parkConf.isEmpty() || batch.parked) {
            if (batch.upload != null) {
                batch.upload.abort();
            }
            throw failure;
        }
        List<byte[]> sofar = List.of();
        if (batch.upload != null) {
            batch.upload.abort();
            sofar =
                    batch.upload
                            .retainedChunks()
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    batch.first.key
                                                            + " failed after more than "
                                                            + RETAIN_LIMIT
                                                            + " bytes were staged; the job"
                                                            + " restarts from its checkpoint",
                                                    failure));
        }
        health.failed(batch.first.destination, clock.getAsLong());
        LOG.warn(
                "Job {}: {} failed; parking batch {} in {}: {}",
                batch.first.jobId,
                Destination.redact(batch.first.destination),
                batch.first.seq,
                Destination.redact(parkConf),
                failure.getMessage());
        park(batch, failure.getMessage());
        for (byte[] chunk : sofar) {
            batch.upload.append(chunk);
        }
    }

    /** Starts staging {@code batch} in the park store, under its own key, with its metadata. */
    private void park(StagingBatch batch, String reason) throws IOException {
        Destination park = destination(parkConf);
        BatchChunk first = batch.first;
        String key = Parking.parkedKey(park, first.key);
        batch.upload =
                new BatchUpload(
                        stores.forDestination(park)
                                .begin(
                                        park,
                                        key,
                                        BatchUpload.contentType(first),
                                        Parking.metadata(
                                                BatchUpload.metadata(first),
                                                first.destination,
                                                reason)),
                        parkConf,
                        key,
                        0);
        batch.parked = true;
    }

    /**
     * Starts and aborts an upload under the destination's prefix: what a batch would need first,
     * and nothing stays behind.
     */
    private void probe(String conf) throws IOException {
        Destination d = Destination.parse(conf);
        stores.forDestination(d)
                .begin(d, ObjectKeys.listingPrefix(d) + PROBE_NAME, "text/plain", Map.of())
                .abort();
    }

    private Destination destination(String conf) {
        return destinations.computeIfAbsent(conf, Destination::parse);
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

    /**
     * Waits until the store acknowledged every batch handed to it: at a checkpoint's barrier each
     * batch is then staged whole (a batch's chunks arrive in one call of the chained buffer, so
     * none is midway), and its committable goes into this checkpoint.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        settle(true);
    }

    @Override
    public Collection<ObjectCommittable> prepareCommit() throws IOException {
        settle(true);
        List<ObjectCommittable> ready = new ArrayList<>(staged.size());
        for (StagingBatch batch : staged) {
            ready.add(batch.committable);
        }
        staged.clear();
        wholeBytes = 0;
        return ready;
    }

    /**
     * Gives up on every batch not handed to Flink (being written, with the store, or staged since
     * the last checkpoint): their uploads are aborted, never completed. What a checkpoint holds is
     * Flink's to commit.
     */
    @Override
    public void close() {
        probes.shutdownNow();
        if (current != null && current.upload != null) {
            current.upload.abort();
        }
        for (StagingBatch batch : inFlight) {
            batch.upload.abort();
        }
        for (StagingBatch batch : staged) {
            if (batch.upload != null) {
                batch.upload.abort(); // whole objects were never sent
            }
        }
        inFlight.clear();
        staged.clear();
        stores.close();
    }
}
