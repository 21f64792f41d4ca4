package dev.sluice.sink;

import dev.sluice.buffer.BatchChunk;
import dev.sluice.config.Destination;
import dev.sluice.metrics.TopJobsMetrics;
import dev.sluice.sink.store.ObjectStores;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * Stages each batch as a pending object, streaming its chunks into the store as they arrive (at
 * most one part in memory), and hands the pending objects to Flink at the next checkpoint. Staging
 * is synchronous on the task thread: a slow store slows this writer, and Flink's backpressure
 * carries that back to the Kafka source instead of buffering without limit.
 *
 * <p>Isolation: when a job's destination fails (after the client's own retries with backoff), the
 * batch is parked (see {@link Parking}) in the park destination instead, the destination is skipped
 * for a cooldown ({@link DestinationHealth}) so it costs one timeout, not one per batch, and the
 * job counts as unhealthy until a batch of it is delivered. Nothing is dropped and the Flink job
 * does not fail. Without a park destination, a failure fails the job, which restarts from its
 * checkpoint with nothing lost. Only a park store that fails too, or a batch larger than the retain
 * limit failing midway, fails the job.
 *
 * <p>The first batch of a job this writer sees after a restart or a restore aborts that job's
 * uploads with the same or a later sequence: they can only be leftovers of a failed attempt. A
 * first attempt that restored nothing skips this: no earlier attempt can have staged anything.
 */
final class ObjectSinkWriter implements CommittingSinkWriter<BatchChunk, ObjectCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectSinkWriter.class);

    private static final String PROBE_NAME = ".sluice-probe";

    /** Chunks kept per batch so that a store failing midway can be left for the park store. */
    static final long RETAIN_LIMIT = 64L * 1024 * 1024;

    private final ObjectStores stores = new ObjectStores();
    private final Map<String, Destination> destinations = new HashMap<>();
    private final Set<Long> jobsSeen = new HashSet<>();
    private final Set<Long> unhealthyJobs = new HashSet<>();
    private final List<ObjectCommittable> staged = new ArrayList<>();
    private final String parkConf;
    private final DestinationHealth health;
    private final LongSupplier clock;

    /** Whether a job's first batch looks for its leftover uploads (false on a fresh start). */
    private final boolean abortStaleUploads;

    private BatchUpload current;
    private BatchChunk currentFirst;
    private boolean currentParked;
    private final Counter recordsOut;
    private final Counter bytesOut;
    private final Counter staleAborted;
    private final Counter staleCleanupFailed;
    private final Counter parkedBatches;
    private final Counter parkedRecords;
    private final Counter objectsStaged;
    private final Histogram stageMillis;
    private long currentStartedAt;
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
     * @param parkConf the park destination's {@code destination_conf}; empty for none
     */
    ObjectSinkWriter(
            SinkWriterMetricGroup metrics,
            String parkConf,
            DestinationHealth health,
            LongSupplier clock) {
        this(metrics, parkConf, health, clock, true);
    }

    /**
     * @param abortStaleUploads whether a job's first batch aborts the job's leftover uploads; only
     *     a first attempt that restored nothing may leave it out
     */
    ObjectSinkWriter(
            SinkWriterMetricGroup metrics,
            String parkConf,
            DestinationHealth health,
            LongSupplier clock,
            boolean abortStaleUploads) {
        this.abortStaleUploads = abortStaleUploads;
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
    }

    @Override
    public void write(BatchChunk chunk, Context context) throws IOException {
        if (chunk.index == 0) {
            if (current != null) {
                current.abort();
                throw new IllegalStateException(
                        current.key() + " ended without its last chunk; " + chunk.key + " began");
            }
            begin(chunk);
        } else if (current == null) {
            throw new IllegalStateException(
                    "chunk " + chunk.index + " of " + chunk.key + " arrived without chunk 0");
        }
        current.expect(chunk);
        try {
            current.append(chunk.data);
        } catch (IOException e) {
            reroute(e);
        }
        bytesOut.inc(chunk.data.length);
        if (chunk.last) {
            finish(chunk);
        }
    }

    private void begin(BatchChunk first) throws IOException {
        currentFirst = first;
        currentParked = false;
        currentStartedAt = clock.getAsLong();
        Destination destination = destination(first.destination);
        if (abortStaleUploads && jobsSeen.add(first.jobId)) {
            abortStale(destination, first);
            if (!parkConf.isEmpty()) {
                abortStale(destination(parkConf), first);
            }
        }
        if (!parkConf.isEmpty() && health.skip(first.destination, clock.getAsLong())) {
            park("destination unhealthy: skipped during its cooldown");
            return;
        }
        try {
            current =
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
            reroute(e);
        }
    }

    private void finish(BatchChunk last) throws IOException {
        ObjectCommittable committable;
        try {
            committable = current.finish(last);
        } catch (IOException e) {
            reroute(e);
            committable = current.finish(last);
        }
        staged.add(committable);
        recordsOut.inc(last.records);
        objectsStaged.inc();
        long millis = clock.getAsLong() - currentStartedAt;
        stageMillis.update(millis);
        byJob.add(last.jobId, 0, committable.length());
        byJob.add(last.jobId, 1, 1);
        byJob.add(last.jobId, 2, millis);
        if (currentParked) {
            parkedBatches.inc();
            parkedRecords.inc(last.records);
            byJob.add(last.jobId, 3, 1);
            unhealthyJobs.add(last.jobId);
        } else {
            health.succeeded(last.destination);
            unhealthyJobs.remove(last.jobId);
        }
        current = null;
        currentFirst = null;
    }

    /**
     * The job's destination failed while staging the current batch: stage it in the park store
     * instead, from the chunks kept so far. Fails when there is no park store, the park store is
     * what failed, or the batch outgrew what is kept.
     */
    private void reroute(IOException failure) throws IOException {
        if (parkConf.isEmpty() || currentParked) {
            throw failure;
        }
        List<byte[]> sofar = List.of();
        if (current != null) {
            current.abort();
            sofar =
                    current.retainedChunks()
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    currentFirst.key
                                                            + " failed after more than "
                                                            + RETAIN_LIMIT
                                                            + " bytes were staged; the job"
                                                            + " restarts from its checkpoint",
                                                    failure));
        }
        health.failed(currentFirst.destination, clock.getAsLong());
        LOG.warn(
                "Job {}: {} failed; parking batch {} in {}: {}",
                currentFirst.jobId,
                Destination.redact(currentFirst.destination),
                currentFirst.seq,
                Destination.redact(parkConf),
                failure.getMessage());
        park(failure.getMessage());
        for (byte[] chunk : sofar) {
            current.append(chunk);
        }
    }

    /** Starts staging the current batch in the park store, under its own key, with its metadata. */
    private void park(String reason) throws IOException {
        Destination park = destination(parkConf);
        String key = Parking.parkedKey(park, currentFirst.key);
        current =
                new BatchUpload(
                        stores.forDestination(park)
                                .begin(
                                        park,
                                        key,
                                        BatchUpload.contentType(currentFirst),
                                        Parking.metadata(
                                                BatchUpload.metadata(currentFirst),
                                                currentFirst.destination,
                                                reason)),
                        parkConf,
                        key,
                        0);
        currentParked = true;
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
        probes.shutdownNow();
        if (current != null) {
            current.abort();
        }
        stores.close();
    }
}
