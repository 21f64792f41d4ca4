package dev.sluice.buffer;

import dev.sluice.config.BatchLimits;
import dev.sluice.config.ConfigHolder;
import dev.sluice.config.ConfigVerdict;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.Destination;
import dev.sluice.config.OutputOptions;
import dev.sluice.encode.BatchFraming;
import dev.sluice.route.RoutedRecord;
import dev.sluice.schemas.state.BufferMeta;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-job buffer, keyed by job id: appends each job's encoded records to keyed state and closes
 * a batch when the first of the job's limits is reached (records, uncompressed bytes, or the
 * interval since the batch opened). When the input ends (a bounded run, or a stop with drain) every
 * open batch is closed, so nothing accepted stays behind.
 *
 * <p>Records are appended to a {@link ListState} (an append, not a read-modify-write of a growing
 * value, on RocksDB too); the batch's bookkeeping is a small fixed-size Avro value.
 */
public class BufferFunction
        extends KeyedBroadcastProcessFunction<Long, RoutedRecord, String, Batch> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BufferFunction.class);

    /** The open batch's encoded lines, in arrival order. */
    public static final ListStateDescriptor<byte[]> LINES =
            new ListStateDescriptor<>(
                    "lines", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** The open batch's bookkeeping and the job's ledger. */
    public static final ValueStateDescriptor<BufferMeta> META =
            new ValueStateDescriptor<>("meta", new AvroTypeInfo<>(BufferMeta.class));

    /** Event-time timer that only the end of input (the max watermark) reaches. */
    static final long END_OF_INPUT = Long.MAX_VALUE;

    private final ConfigHolder config;

    private transient ListState<byte[]> lines;
    private transient ValueState<BufferMeta> meta;
    private transient BatchEncoder encoder;
    private transient Map<FlushReason, Counter> flushes;
    private transient Counter recordsEmitted;

    public BufferFunction(ConfigHolder config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        lines = getRuntimeContext().getListState(LINES);
        meta = getRuntimeContext().getState(META);
        encoder = new BatchEncoder();
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("sluice");
        flushes = new EnumMap<>(FlushReason.class);
        for (FlushReason reason : FlushReason.values()) {
            flushes.put(
                    reason,
                    metrics.addGroup("flush", reason.name().toLowerCase()).counter("batches"));
        }
        recordsEmitted = metrics.counter("recordsBatched");
    }

    @Override
    public void processElement(RoutedRecord record, ReadOnlyContext ctx, Collector<Batch> out)
            throws Exception {
        BufferMeta m = currentMeta();
        BatchLimits limits =
                job(ctx, record.jobId).map(DeliveryJob::limits).orElseGet(BatchLimits::defaults);
        if (m.getRecords() == 0) {
            openBatch(m, record, limits, ctx);
        }
        lines.add(record.line);
        m.setRecords(m.getRecords() + 1);
        m.setBytes(m.getBytes() + record.line.length);
        m.setFirstMicros(Math.min(m.getFirstMicros(), record.timestampMicros));
        m.setLastMicros(Math.max(m.getLastMicros(), record.timestampMicros));
        m.setRecordsIn(m.getRecordsIn() + 1);
        if (m.getRecords() >= limits.maxRecords()) {
            flush(m, FlushReason.RECORDS, ctx, out);
        } else if (m.getBytes() >= limits.maxBytes()) {
            flush(m, FlushReason.BYTES, ctx, out);
        }
        meta.update(m);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Batch> out) throws Exception {
        BufferMeta m = meta.value();
        if (m == null || m.getRecords() == 0) {
            return;
        }
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            flush(m, FlushReason.END_OF_INPUT, ctx, out);
        } else if (timestamp == m.getFlushAtMillis()) {
            flush(m, FlushReason.INTERVAL, ctx, out);
        }
        meta.update(m);
    }

    /**
     * Applies a config update. Jobs it disables or removes had their records accepted while
     * enabled: their open batches are delivered now, to the destination they had, and their buffers
     * emptied (the batch sequence stays, so a re-enabled job never reuses a key).
     */
    @Override
    public void processBroadcastElement(String update, Context ctx, Collector<Batch> out)
            throws Exception {
        ConfigVerdict verdict =
                config.offer(update, ctx.getBroadcastState(ConfigHolder.CONFIG_STATE));
        if (verdict.kind() != ConfigVerdict.Kind.ACCEPTED) {
            return;
        }
        Set<Long> stopped = new HashSet<>(verdict.diff().removed());
        stopped.addAll(verdict.diff().disabled());
        if (stopped.isEmpty()) {
            return;
        }
        ctx.applyToKeyedState(
                META,
                (jobId, state) -> {
                    BufferMeta m = state.value();
                    if (stopped.contains(jobId) && m != null && m.getRecords() > 0) {
                        Optional<DeliveryJob> stoppedJob = verdict.previous().job(jobId);
                        String destination =
                                stoppedJob
                                        .map(DeliveryJob::destinationConf)
                                        .orElse(m.getDestinationConf());
                        m.setDestinationConf(destination);
                        emit(
                                jobId,
                                m,
                                destination,
                                framing(stoppedJob),
                                FlushReason.JOB_STOPPED,
                                out);
                        state.update(m);
                    }
                });
    }

    private void openBatch(
            BufferMeta m, RoutedRecord first, BatchLimits limits, ReadOnlyContext ctx)
            throws Exception {
        m.setFirstMicros(first.timestampMicros);
        m.setLastMicros(first.timestampMicros);
        // A job removed while this record was in flight keeps its last destination.
        job(ctx, first.jobId).ifPresent(j -> m.setDestinationConf(j.destinationConf()));
        long flushAt = ctx.timerService().currentProcessingTime() + limits.maxIntervalMillis();
        m.setFlushAtMillis(flushAt);
        ctx.timerService().registerProcessingTimeTimer(flushAt);
        ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
    }

    /**
     * Closes the open batch and emits it to the job's destination: the one in the config, or, for a
     * job removed meanwhile, the one it had when the batch opened. A job this subtask has never
     * seen configured keeps its batch, retried one default interval later.
     */
    private void flush(BufferMeta m, FlushReason reason, ReadOnlyContext ctx, Collector<Batch> out)
            throws Exception {
        long jobId = ctx.getCurrentKey();
        Optional<DeliveryJob> job = job(ctx, jobId);
        String destination = job.map(DeliveryJob::destinationConf).orElse(m.getDestinationConf());
        if (destination.isEmpty()) {
            LOG.warn(
                    "Job {} is not in this subtask's config yet; keeping its batch buffered",
                    jobId);
            long retryAt =
                    ctx.timerService().currentProcessingTime()
                            + BatchLimits.defaults().maxIntervalMillis();
            ctx.timerService().registerProcessingTimeTimer(retryAt);
            m.setFlushAtMillis(retryAt);
            return;
        }
        ctx.timerService().deleteProcessingTimeTimer(m.getFlushAtMillis());
        ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
        emit(jobId, m, destination, framing(job), reason, out);
    }

    /** The job's batch prefix, delimiter and suffix; a removed job's late records get none. */
    private static BatchFraming framing(Optional<DeliveryJob> job) {
        return BatchFraming.forOptions(
                job.map(DeliveryJob::outputOptions).orElseGet(OutputOptions::defaults));
    }

    /** Emits the open batch and empties the buffer; timers are the caller's concern. */
    private void emit(
            long jobId,
            BufferMeta m,
            String destination,
            BatchFraming framing,
            FlushReason reason,
            Collector<Batch> out)
            throws Exception {
        Batch batch =
                encoder.encode(
                        jobId,
                        m,
                        lines.get(),
                        framing,
                        Destination.parse(destination),
                        destination);
        out.collect(batch);
        flushes.get(reason).inc();
        recordsEmitted.inc(batch.records);
        lines.clear();
        m.setRecordsEmitted(m.getRecordsEmitted() + batch.records);
        m.setNextSeq(m.getNextSeq() + 1);
        m.setRecords(0L);
        m.setBytes(0L);
        m.setFlushAtMillis(0L);
    }

    private BufferMeta currentMeta() throws Exception {
        BufferMeta m = meta.value();
        return m != null ? m : BufferMeta.newBuilder().build();
    }

    private Optional<DeliveryJob> job(ReadOnlyContext ctx, long jobId) throws Exception {
        return config.current(ctx.getBroadcastState(ConfigHolder.CONFIG_STATE)).job(jobId);
    }
}
