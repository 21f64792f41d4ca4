package dev.sluice.buffer;

import dev.sluice.config.BatchLimits;
import dev.sluice.config.Compression;
import dev.sluice.config.ConfigHolder;
import dev.sluice.config.ConfigVerdict;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.Destination;
import dev.sluice.config.OutputOptions;
import dev.sluice.encode.BatchFraming;
import dev.sluice.metrics.TopJobsMetrics;
import dev.sluice.route.RoutedRecord;
import dev.sluice.schemas.state.BufferMeta;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.BatchLedger;
import dev.sluice.sink.BatchOpened;
import dev.sluice.sink.ObjectKeys;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The per-job buffer, keyed by job id. A job's records are buffered and compressed a chunk at a
 * time; a batch closes at the first of the job's limits (records, uncompressed bytes, interval
 * since it opened) and goes out as its ordered chunks. Per subtask, two caps bound what is in
 * flight: {@link BufferSettings#maxActiveJobs()} open batches and {@link BufferSettings#maxBytes()}
 * held bytes. Reaching one delivers batches early (the oldest, or the largest): objects get
 * smaller, nothing is dropped. When the input ends every open batch closes.
 *
 * <p>State per job: pending records ({@link #PENDING}, one zstd block per barrier or spill, see
 * {@link PendingBlocks}), compressed chunks ({@link #CHUNKS}, one entry each, so neither an append
 * nor a delivery reads a growing value) and a fixed-size Avro {@link BufferMeta} with the batch's
 * bookkeeping and the job's ledger. Builds before blocks kept pending records raw, one entry each,
 * in {@link #LINES}: a restored batch's are read from there and written back as a block at the next
 * barrier.
 *
 * <p>A record touches no keyed state: each open batch's bookkeeping and pending records are worked
 * on in memory ({@link OpenBatch}) and written to keyed state when a chunk is compressed, when the
 * batch closes, and before every checkpoint barrier, so a checkpoint holds what it held when every
 * record was written as it came while RocksDB no longer serializes a record's bookkeeping and reads
 * back its pending records. {@link BufferSettings#memoryBytes()} bounds what memory holds: beyond
 * it the largest pending sets are compressed early, or, too small for a chunk that compresses well,
 * spilled to keyed state.
 *
 * <p>An operator rather than a {@code KeyedBroadcastProcessFunction} because a cap must close
 * another job's batch than the one whose record arrived, which needs to switch the key. It keeps
 * that function's state names and timer service, so savepoints of earlier versions restore.
 */
public final class BufferOperator extends AbstractStreamOperator<BatchChunk>
        implements TwoInputStreamOperator<RoutedRecord, String, BatchChunk>,
                Triggerable<Long, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    /**
     * The open batch's records not yet compressed, in arrival order, as blocks of {@link
     * PendingBlocks}: keyed state holds a prefix of them (see {@link OpenBatch}).
     */
    public static final ListStateDescriptor<byte[]> PENDING =
            new ListStateDescriptor<>(
                    "pending-blocks", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /**
     * Pending records as builds before {@link #PENDING} kept them, raw, one entry each: only read
     * (and then cleared), for batches restored from their savepoints.
     */
    public static final ListStateDescriptor<byte[]> LINES =
            new ListStateDescriptor<>(
                    "lines", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** The open batch's compressed chunks by position; one state entry per chunk. */
    public static final MapStateDescriptor<Integer, byte[]> CHUNKS =
            new MapStateDescriptor<>(
                    "chunks", Types.INT, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** The open batch's bookkeeping and the job's ledger. */
    public static final ValueStateDescriptor<BufferMeta> META =
            new ValueStateDescriptor<>("meta", new AvroTypeInfo<>(BufferMeta.class));

    /** Each batch as it opens, once per batch: the jobs' status follows what is still buffered. */
    public static final OutputTag<BatchOpened> BATCHES_OPENED =
            new OutputTag<>("batches-opened", TypeInformation.of(BatchOpened.class));

    /**
     * The timer service name of the function-based buffer of earlier versions; kept for restore.
     */
    static final String TIMERS = "user-timers";

    /** Event-time timer that only the end of input (the max watermark) reaches. */
    static final long END_OF_INPUT = Long.MAX_VALUE;

    /**
     * The least a job must hold in memory for its records to be compressed early when memory is
     * over budget: gzip and zstd lose little below 1 MiB but much below this (level 3 on NDJSON:
     * 2.6% larger objects at about 64 KiB a chunk). Below it the records are spilled to keyed state
     * instead and compressed later with the ones that follow.
     */
    static final long MIN_EARLY_CHUNK_BYTES = 64 * 1024;

    /** Jobs with their own metric series per subtask; the rest are summed. */
    static final int TOP_JOBS = 20;

    private static final long TOP_JOBS_REFRESH_MILLIS = 10_000;

    private final ConfigHolder config;
    private final BufferSettings configured;

    /** The configured settings with this subtask's memory budget, resolved at open. */
    private transient BufferSettings settings;

    private transient ListState<byte[]> pendingBlocks;
    private transient ListState<byte[]> lines;
    private transient MapState<Integer, byte[]> chunks;
    private transient ValueState<BufferMeta> meta;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient BroadcastState<String, String> configState;
    private transient ChunkCompressor compressor;
    private transient PendingBlocks blockCodec;
    private transient ActiveBuffers active;
    private transient OpenBatches batches;
    private transient StreamRecord<BatchChunk> reuse;
    private transient Map<FlushReason, Counter> flushes;
    private transient Counter recordsBatched;
    private transient Counter chunksCompressed;
    private transient Counter chunksCompressedEarly;
    private transient Counter recordsSpilled;
    private transient TopJobsMetrics topJobs;

    public BufferOperator(ConfigHolder config, BufferSettings settings) {
        this.config = config;
        this.configured = settings;
    }

    @Override
    public void open() throws Exception {
        super.open();
        settings = withMemoryBudget();
        pendingBlocks = getPartitionedState(PENDING);
        lines = getPartitionedState(LINES);
        chunks = getPartitionedState(CHUNKS);
        meta = getPartitionedState(META);
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        configState = getOperatorStateBackend().getBroadcastState(ConfigHolder.CONFIG_STATE);
        config.open(getRuntimeContext().getDistributedCache());
        compressor = new ChunkCompressor(settings.gzipLevel(), settings.zstdLevel());
        blockCodec = new PendingBlocks();
        reuse = new StreamRecord<>(null);
        active = new ActiveBuffers();
        batches = new OpenBatches();
        restoreActive();
        registerMetrics(getMetricGroup().addGroup("sluice"));
    }

    /** The settings with a memory budget: the configured one, or this subtask's share of heap. */
    private BufferSettings withMemoryBudget() {
        int slots =
                getContainingTask()
                        .getEnvironment()
                        .getTaskManagerInfo()
                        .getConfiguration()
                        .get(TaskManagerOptions.NUM_TASK_SLOTS);
        long heap = Runtime.getRuntime().maxMemory();
        BufferSettings resolved = configured.withMemoryFor(heap, slots);
        if (configured.memoryBytes() == BufferSettings.AUTO_MEMORY) {
            LOG.info(
                    "Buffer memory budget {} MiB: a share of {} MiB of heap over {} task slot(s)",
                    resolved.memoryBytes() >> 20,
                    heap >> 20,
                    slots);
        }
        return resolved;
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            try {
                config.close();
            } finally {
                if (blockCodec != null) {
                    blockCodec.close();
                }
                if (compressor != null) {
                    compressor.close();
                }
            }
        }
    }

    /**
     * Delivers now the batches whose interval ends before the next barrier is due: waiting for
     * their timer, they would go out just after this barrier and be committed only by the next
     * checkpoint, a whole checkpoint interval later. Their objects close a little early instead,
     * and are visible within their interval (plus the commit).
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (settings.closeAheadMillis() > 0) {
            long horizon = timers.currentProcessingTime() + settings.closeAheadMillis();
            for (long jobId : active.dueBy(horizon)) {
                flushOther(jobId, FlushReason.INTERVAL);
            }
        }
        saveChanged();
    }

    /** Brings keyed state up to date with every open batch changed in memory since the last. */
    private void saveChanged() throws Exception {
        for (long jobId : batches.dirty()) {
            setCurrentKey(jobId);
            save(batches.get(jobId));
        }
    }

    private void save(OpenBatch batch) throws Exception {
        // A copy: the heap backend keeps the object it is given, which the batch goes on changing.
        meta.update(BufferMeta.newBuilder(batch.meta()).build());
        appendUnsaved(batch);
        batch.saved();
    }

    /**
     * Appends the batch's records that keyed state does not hold yet to the current key's pending
     * records there, as one block.
     */
    private void appendUnsaved(OpenBatch batch) throws Exception {
        if (batch.unsavedRecords() > 0) {
            pendingBlocks.add(blockCodec.encode(batch.pending(), batch.firstUnsaved()));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        // Before the state backends are snapshotted: see ConfigHolder#store.
        config.store(configState);
        super.snapshotState(context);
    }

    private void registerMetrics(MetricGroup metrics) {
        flushes = new EnumMap<>(FlushReason.class);
        for (FlushReason reason : FlushReason.values()) {
            flushes.put(
                    reason,
                    metrics.addGroup("flush", reason.name().toLowerCase()).counter("batches"));
        }
        recordsBatched = metrics.counter("recordsBatched");
        chunksCompressed = metrics.counter("chunksCompressed");
        chunksCompressedEarly = metrics.counter("chunksCompressedEarly");
        recordsSpilled = metrics.counter("recordsSpilled");
        metrics.gauge("pendingMemoryBytes", () -> batches.heldBytes());
        metrics.gauge("activeJobs", () -> active.size());
        metrics.gauge("bufferedBytes", () -> active.totalBytes());
        // The caps themselves, so an alert can compare the two gauges above with them.
        metrics.gauge("maxActiveJobs", () -> settings.maxActiveJobs());
        metrics.gauge("maxBufferedBytes", () -> settings.maxBytes());
        metrics.gauge("memoryBudgetBytes", () -> settings.memoryBytes());
        // 0 when libdeflate's native library did not load here and gzip runs at half the speed.
        metrics.gauge("gzipLibdeflate", () -> compressor.usesLibdeflate() ? 1 : 0);
        topJobs =
                new TopJobsMetrics(
                        metrics,
                        TOP_JOBS,
                        TOP_JOBS_REFRESH_MILLIS,
                        System::currentTimeMillis,
                        "recordsIn",
                        "recordsBatched",
                        "batches");
    }

    /** Finds the open batches in restored state, oldest first, so the caps count them too. */
    private void restoreActive() throws Exception {
        List<Long> jobs;
        KeyedStateBackend<Long> backend = getKeyedStateBackend();
        try (Stream<Long> keys = backend.getKeys(META.getName(), VoidNamespace.INSTANCE)) {
            jobs = keys.collect(Collectors.toList());
        }
        List<long[]> open = new ArrayList<>();
        for (long job : jobs) {
            setCurrentKey(job);
            BufferMeta m = meta.value();
            if (m != null && m.getRecords() > 0) {
                open.add(
                        new long[] {
                            job, m.getOpenedAtMillis(), heldBytes(m), m.getFlushAtMillis()
                        });
            }
        }
        open.sort(Comparator.comparingLong(o -> o[1]));
        for (long[] o : open) {
            active.open(o[0], o[2], o[3]);
        }
    }

    @Override
    public void processElement1(StreamRecord<RoutedRecord> element) throws Exception {
        RoutedRecord record = element.getValue();
        long jobId = record.jobId;
        if (record.isLedgerReport()) {
            countLedgerReport(jobId, record);
            return;
        }
        OpenBatch batch = batchOf(jobId);
        BufferMeta m = batch.meta();
        Optional<DeliveryJob> job = job(jobId);
        BatchLimits limits = job.map(DeliveryJob::limits).orElseGet(BatchLimits::defaults);
        if (m.getRecords() == 0) {
            openBatch(m, record, job, limits);
        }
        batches.append(batch, record.line);
        m.setRecords(m.getRecords() + 1);
        m.setBytes(m.getBytes() + record.line.length);
        m.setFirstMicros(Math.min(m.getFirstMicros(), record.timestampMicros));
        m.setLastMicros(Math.max(m.getLastMicros(), record.timestampMicros));
        m.setRecordsIn(m.getRecordsIn() + 1);
        active.add(jobId, record.line.length);
        topJobs.add(jobId, 0, 1);
        if (m.getRecords() >= limits.maxRecords()) {
            flush(jobId, batch, FlushReason.RECORDS);
        } else if (m.getBytes() >= limits.maxBytes()) {
            flush(jobId, batch, FlushReason.BYTES);
        } else if (pendingBytes(m) >= settings.chunkBytes()) {
            compressPending(jobId, batch, job);
        }
        enforceCaps(jobId);
    }

    /** Adds the router's filtered and sampled-out counts to the job's ledger. */
    private void countLedgerReport(long jobId, RoutedRecord report) throws Exception {
        OpenBatch batch = batches.get(jobId);
        BufferMeta m = batch != null ? batch.meta() : storedMeta();
        m.setRecordsFiltered(m.getRecordsFiltered() + report.filtered);
        m.setRecordsSampledOut(m.getRecordsSampledOut() + report.sampledOut);
        if (batch != null) {
            batch.changed();
        } else {
            meta.update(m);
        }
    }

    /** The current key's batch, from memory or else from keyed state; it may be empty. */
    private OpenBatch batchOf(long jobId) throws Exception {
        OpenBatch batch = batches.get(jobId);
        if (batch == null) {
            BufferMeta m = storedMeta();
            batch = m.getRecords() > 0 ? restored(m) : OpenBatch.fromState(m, List.of());
            batches.put(jobId, batch);
        }
        return batch;
    }

    /**
     * The current key's open batch as keyed state holds it. Raw records of an earlier build's
     * layout come first (they are older than any block) and move to memory, and state is cleared:
     * the next barrier writes the whole set back as one block.
     */
    private OpenBatch restored(BufferMeta m) throws Exception {
        Iterable<byte[]> legacy = lines.get();
        if (legacy == null || !legacy.iterator().hasNext()) {
            return OpenBatch.fromState(m, pendingInState());
        }
        List<byte[]> records = new ArrayList<>();
        legacy.forEach(records::add);
        records.addAll(pendingInState());
        lines.clear();
        pendingBlocks.clear();
        return OpenBatch.unsaved(m, records);
    }

    /** The current key's open batch, or null if it has none; an empty one is not kept. */
    private OpenBatch openBatchOf(long jobId) throws Exception {
        OpenBatch batch = batches.get(jobId);
        if (batch != null) {
            return batch;
        }
        BufferMeta m = meta.value();
        return m == null || m.getRecords() == 0 ? null : batchOf(jobId);
    }

    private void openBatch(
            BufferMeta m, RoutedRecord first, Optional<DeliveryJob> job, BatchLimits limits) {
        long now = timers.currentProcessingTime();
        m.setFirstMicros(first.timestampMicros);
        m.setLastMicros(first.timestampMicros);
        // A job removed while this record was in flight keeps its last destination and codec.
        job.ifPresent(j -> m.setDestinationConf(j.destinationConf()));
        m.setCompression(codecOf(job, m).jsonName());
        m.setOpenedAtMillis(now);
        m.setFlushAtMillis(now + limits.maxIntervalMillis());
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, m.getFlushAtMillis());
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, END_OF_INPUT);
        active.open(first.jobId, 0, m.getFlushAtMillis());
        output.collect(
                BATCHES_OPENED,
                new StreamRecord<>(new BatchOpened(first.jobId, m.getNextSeq(), now)));
    }

    /** Compresses the pending records into the batch's next chunk. */
    private void compressPending(long jobId, OpenBatch batch, Optional<DeliveryJob> job)
            throws Exception {
        BufferMeta m = batch.meta();
        boolean first = m.getChunkCount() == 0;
        byte[] chunk =
                compressor.compress(
                        Compression.ofStored(m.getCompression()),
                        framing(job),
                        pendingRecords(batch),
                        first,
                        false);
        long pending = pendingBytes(m);
        chunks.put(m.getChunkCount(), chunk);
        if (batch.savedRecords() > 0 || batch.spilledRecords() > 0) {
            pendingBlocks.clear();
        }
        batches.compressed(batch);
        m.setChunkCount(m.getChunkCount() + 1);
        m.setStoredBytes(m.getStoredBytes() + chunk.length);
        m.setCompressedInputBytes(m.getBytes());
        active.add(jobId, chunk.length - pending);
        chunksCompressed.inc();
    }

    /**
     * Keeps the subtask within its caps by delivering other batches early. Runs after a record is
     * buffered, so a cap is exceeded only inside this call.
     */
    private void enforceCaps(long currentJob) throws Exception {
        if (batches.heldBytes() > settings.memoryBytes()) {
            long toFree = batches.heldBytes() - settings.memoryLowWater();
            for (long jobId : batches.largestPending(toFree)) {
                relieveMemory(jobId);
            }
        }
        while (active.size() > settings.maxActiveJobs()) {
            OptionalLong oldest = active.oldest();
            flushOther(oldest.getAsLong(), FlushReason.ACTIVE_JOBS_CAP);
        }
        if (active.totalBytes() > settings.maxBytes()) {
            long toFree = active.totalBytes() - settings.bytesLowWater();
            for (long victim : active.largestHolding(toFree)) {
                flushOther(victim, FlushReason.BYTES_CAP);
            }
        }
        setCurrentKey(currentJob);
    }

    /**
     * Takes another job's pending records out of memory to keep it within its budget: compressed
     * into a chunk now, smaller than the chunk size, or, if too few for a chunk that compresses
     * well, written to keyed state; the caller restores the current key.
     */
    private void relieveMemory(long jobId) throws Exception {
        setCurrentKey(jobId);
        OpenBatch batch = batches.get(jobId);
        if (batch.pendingBytes() >= MIN_EARLY_CHUNK_BYTES) {
            compressPending(jobId, batch, job(jobId));
            chunksCompressedEarly.inc();
        } else {
            recordsSpilled.inc(batch.unsavedRecords());
            appendUnsaved(batch);
            batches.spilled(batch);
        }
    }

    /**
     * The current key's pending records in order: keyed state holds a prefix of them when some were
     * spilled (and then also those written at a barrier since), memory the rest.
     */
    private PendingLines pendingRecords(OpenBatch batch) throws Exception {
        if (batch.spilledRecords() == 0) {
            return batch.pending();
        }
        PendingLines all = new PendingLines();
        pendingInState().forEach(all::add);
        all.addFrom(batch.pending(), batch.firstUnsaved());
        return all;
    }

    /** The current key's pending records that keyed state holds, in order. */
    private List<byte[]> pendingInState() throws Exception {
        List<byte[]> records = new ArrayList<>();
        Iterable<byte[]> inState = pendingBlocks.get();
        // An empty list state reads as null on some backends.
        if (inState != null) {
            for (byte[] block : inState) {
                records.addAll(PendingBlocks.decode(block));
            }
        }
        return records;
    }

    /** Delivers another job's open batch now; the caller restores the current key. */
    private void flushOther(long jobId, FlushReason reason) throws Exception {
        setCurrentKey(jobId);
        OpenBatch batch = openBatchOf(jobId);
        if (batch == null) {
            active.close(jobId);
            return;
        }
        if (!flush(jobId, batch, reason)) {
            // Undeliverable for now (no destination known yet): it stops counting against the
            // caps rather than being retried on every record; its retry timer delivers it.
            active.close(jobId);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<Long, VoidNamespace> timer) throws Exception {
        OpenBatch batch = openBatchOf(timer.getKey());
        if (batch == null || timer.getTimestamp() != batch.meta().getFlushAtMillis()) {
            return;
        }
        flush(timer.getKey(), batch, FlushReason.INTERVAL);
    }

    @Override
    public void onEventTime(InternalTimer<Long, VoidNamespace> timer) throws Exception {
        OpenBatch batch = openBatchOf(timer.getKey());
        if (batch == null) {
            return;
        }
        flush(timer.getKey(), batch, FlushReason.END_OF_INPUT);
    }

    /**
     * Applies a config update. Jobs it disables or removes had their records accepted while
     * enabled: their open batches are delivered now, to the destination they had, and their buffers
     * emptied (the batch sequence stays, so a re-enabled job never reuses a key).
     */
    @Override
    public void processElement2(StreamRecord<String> element) throws Exception {
        ConfigVerdict verdict = config.offer(element.getValue(), configState);
        if (verdict.kind() != ConfigVerdict.Kind.ACCEPTED) {
            return;
        }
        Set<Long> stopped = new HashSet<>(verdict.diff().removed());
        stopped.addAll(verdict.diff().disabled());
        for (long jobId : active.openAmong(stopped)) {
            setCurrentKey(jobId);
            OpenBatch batch = openBatchOf(jobId);
            BufferMeta m = batch.meta();
            Optional<DeliveryJob> stoppedJob = verdict.previous().job(jobId);
            String destination =
                    stoppedJob.map(DeliveryJob::destinationConf).orElse(m.getDestinationConf());
            m.setDestinationConf(destination);
            deleteTimers(m);
            emit(jobId, batch, destination, framing(stoppedJob), FlushReason.JOB_STOPPED);
        }
    }

    /**
     * Closes the open batch of the current key and emits it to the job's destination: the one in
     * the config, or, for a job removed meanwhile, the one it had when the batch opened. A job this
     * subtask has never seen configured keeps its batch, retried one default interval later.
     *
     * @return whether the batch went out
     */
    private boolean flush(long jobId, OpenBatch batch, FlushReason reason) throws Exception {
        BufferMeta m = batch.meta();
        Optional<DeliveryJob> job = job(jobId);
        String destination = job.map(DeliveryJob::destinationConf).orElse(m.getDestinationConf());
        if (destination.isEmpty()) {
            LOG.warn(
                    "Job {} is not in this subtask's config yet; keeping its batch buffered",
                    jobId);
            long retryAt =
                    timers.currentProcessingTime() + BatchLimits.defaults().maxIntervalMillis();
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, retryAt);
            m.setFlushAtMillis(retryAt);
            // Or the next barrier would find it due and try, and fail, again.
            active.reschedule(jobId, retryAt);
            batch.changed();
            return false;
        }
        deleteTimers(m);
        emit(jobId, batch, destination, framing(job), reason);
        return true;
    }

    private void deleteTimers(BufferMeta m) {
        timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, m.getFlushAtMillis());
        timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, END_OF_INPUT);
    }

    /**
     * Emits the open batch of the current key as its chunks, the pending records compressed into
     * the last one, and empties the buffer, its bookkeeping written back to keyed state; timers are
     * the caller's concern.
     */
    private void emit(
            long jobId,
            OpenBatch batch,
            String destination,
            BatchFraming framing,
            FlushReason reason)
            throws Exception {
        BufferMeta m = batch.meta();
        Compression codec = Compression.ofStored(m.getCompression());
        long records = m.getRecords();
        BatchLedger ledger =
                new BatchLedger(
                        m.getRecordsIn(),
                        m.getRecordsFiltered(),
                        m.getRecordsSampledOut(),
                        m.getRecordsEmitted() + records);
        String key =
                ObjectKeys.keyFor(
                        Destination.parse(destination),
                        jobId,
                        m.getNextSeq(),
                        m.getFirstMicros(),
                        m.getLastMicros(),
                        codec);
        int stored = m.getChunkCount();
        for (int i = 0; i < stored; i++) {
            output(header(jobId, m, destination, key, codec, reason, ledger), i, chunks.get(i));
        }
        byte[] tail = compressor.compress(codec, framing, pendingRecords(batch), stored == 0, true);
        BatchChunk last = header(jobId, m, destination, key, codec, reason, ledger);
        last.last = true;
        output(last, stored, tail);

        if (batch.savedRecords() > 0 || batch.spilledRecords() > 0) {
            pendingBlocks.clear();
        }
        if (stored > 0) {
            chunks.clear();
        }
        active.close(jobId);
        flushes.get(reason).inc();
        recordsBatched.inc(records);
        topJobs.add(jobId, 1, records);
        topJobs.add(jobId, 2, 1);
        m.setRecordsEmitted(m.getRecordsEmitted() + records);
        m.setNextSeq(m.getNextSeq() + 1);
        m.setRecords(0L);
        m.setBytes(0L);
        m.setCompressedInputBytes(0L);
        m.setChunkCount(0);
        m.setStoredBytes(0L);
        m.setFlushAtMillis(0L);
        m.setOpenedAtMillis(0L);
        m.setCompression("");
        meta.update(m);
        batches.remove(jobId);
    }

    private static BatchChunk header(
            long jobId,
            BufferMeta m,
            String destination,
            String key,
            Compression codec,
            FlushReason reason,
            BatchLedger ledger) {
        BatchChunk c = new BatchChunk();
        c.jobId = jobId;
        c.seq = m.getNextSeq();
        c.destination = destination;
        c.key = key;
        c.compression = codec.jsonName();
        c.records = m.getRecords();
        c.uncompressedBytes = m.getBytes();
        c.firstMicros = m.getFirstMicros();
        c.lastMicros = m.getLastMicros();
        c.flushReason = reason.name();
        c.ledger = ledger;
        return c;
    }

    private void output(BatchChunk chunk, int index, byte[] data) {
        chunk.index = index;
        chunk.data = data;
        output.collect(reuse.replace(chunk));
    }

    /** The job's batch prefix, delimiter and suffix; a removed job's late records get none. */
    private static BatchFraming framing(Optional<DeliveryJob> job) {
        return BatchFraming.forOptions(
                job.map(DeliveryJob::outputOptions).orElseGet(OutputOptions::defaults));
    }

    private static Compression codecOf(Optional<DeliveryJob> job, BufferMeta m) {
        return job.map(j -> j.outputOptions().codec())
                .orElseGet(() -> Compression.ofStored(m.getCompression()));
    }

    /** Uncompressed bytes of records not yet in a chunk. */
    private static long pendingBytes(BufferMeta m) {
        return m.getBytes() - m.getCompressedInputBytes();
    }

    /** What an open batch holds: its compressed chunks and its pending records. */
    private static long heldBytes(BufferMeta m) {
        return m.getStoredBytes() + pendingBytes(m);
    }

    /** Jobs with an open batch on this subtask. */
    int activeJobs() {
        return active.size();
    }

    /** Bytes the open batches of this subtask hold. */
    long bufferedBytes() {
        return active.totalBytes();
    }

    private BufferMeta storedMeta() throws Exception {
        BufferMeta m = meta.value();
        return m != null ? m : BufferMeta.newBuilder().build();
    }

    private Optional<DeliveryJob> job(long jobId) throws Exception {
        return config.current(configState).job(jobId);
    }
}
