package dev.sluice.route;

import dev.sluice.config.ConfigHolder;
import dev.sluice.config.ConfigVerdict;
import dev.sluice.config.TimestampFormat;
import dev.sluice.encode.RecordEncoder;
import dev.sluice.metrics.CountsByKey;
import dev.sluice.metrics.LogLimiter;
import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Decodes forwarded logs and routes each to the enabled delivery jobs of its (customer, dataset),
 * encoded for each job. Fail closed: a record with no enabled job is counted and dropped here,
 * before the shuffle, so it can never create buffer state. Undecodable values go to {@link
 * #DEAD_LETTERS} with a reason, and so do values longer than the maximum record size (cut to their
 * first kilobyte); they never fail the job.
 *
 * <p>A record that one job's filter, sampler or encoder fails on is that job's failure, not the
 * task's: the record goes to {@link #DEAD_LETTERS} with a reason naming the job and the stage,
 * counted in {@code recordsFailed} by stage and in {@link #FAILED_BY_JOB}, and the record still
 * goes to the other jobs it is routed to.
 *
 * <p>Records a job's filter or sample rate leaves out are tallied per job and reported to the job's
 * buffer by {@link #reportLedger}, which {@link RouteOperator} calls before every checkpoint
 * barrier and at the end of input: the tallies never need to be in state, and the ledger in the
 * buffer's state is exact at every checkpoint.
 *
 * <p>The broadcast input carries config updates and writer schemas ({@link RouteUpdate}). A writer
 * schema that {@link WriterSchemas#review} accepts is kept in {@link WriterSchemas#STATE} and
 * decoded from then on; one it rejects is counted in {@code schemaUpdatesRejected} and logged with
 * its reason. Records of the current schema never look at the added ones.
 */
public class RouteFunction extends BroadcastProcessFunction<byte[], RouteUpdate, RoutedRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RouteFunction.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    /** Accumulator: records routed per job id (the ledger's records in). */
    public static final String ROUTED_BY_JOB = "sluice.routed-by-job";

    /** Accumulator: records a job's filter dropped, per job id. */
    public static final String FILTERED_BY_JOB = "sluice.filtered-by-job";

    /** Accumulator: records a job's sample rate left out, per job id. */
    public static final String SAMPLED_OUT_BY_JOB = "sluice.sampled-out-by-job";

    /** Accumulator: records a job's filter, sampler or encoder failed on, per job id. */
    public static final String FAILED_BY_JOB = "sluice.failed-by-job";

    /** Accumulator: records dropped for want of an enabled job, per customer id. */
    public static final String UNCONFIGURED_BY_CUSTOMER = "sluice.unconfigured-by-customer";

    /** Default of {@code sluice.route.max-record-bytes}: 1 MiB. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

    /**
     * How much of an oversize record its dead letter keeps: enough to identify it, small enough for
     * any DLQ topic's message size limit.
     */
    public static final int OVERSIZE_PAYLOAD_KEPT_BYTES = 1024;

    /** How much of a failure's exception text a dead letter's reason keeps. */
    static final int FAILURE_TEXT_KEPT_CHARS = 300;

    /** The step of a job's delivery a record failed in: the reason it is counted under. */
    enum Stage {
        FILTER("filter"),
        SAMPLE("sampler"),
        ENCODE("encoder");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private final ConfigHolder config;

    /** Kafka values longer than this go to the dead letters, whole records never decoded. */
    private final long maxRecordBytes;

    /** A flood of bad config updates logs a line a second; the counter counts each. */
    private transient LogLimiter rejectionLog;

    /** A flood of bad writer schemas logs a line a second; the counter counts each. */
    private transient LogLimiter schemaLog;

    private transient LogEventDecoder decoder;
    private transient LogEvent reuse;
    private transient RoutingTable table;

    /**
     * This subtask's encoders for {@link #table}'s routes, by {@link RoutingTable.Route#encoder}.
     */
    private transient RecordEncoder[] encoders;

    private transient Counter routed;
    private transient Counter unconfigured;
    private transient Counter undecodable;
    private transient Counter oversize;
    private transient Counter configRejected;
    private transient Counter configStale;
    private transient Counter schemaRejected;
    private transient CountsByKey routedByJob;
    private transient CountsByKey filteredByJob;
    private transient CountsByKey sampledOutByJob;
    // The three above, counted by the route indexes of the table in use.
    private transient RouteCounts routedCounts;
    private transient RouteCounts filteredCounts;
    private transient RouteCounts sampledOutCounts;
    private transient Counter filtered;
    private transient Counter sampledOut;
    private transient CountsByKey unconfiguredByCustomer;
    private transient Map<Long, long[]> unreported;

    /** Records failed, by {@link Stage#ordinal()}. */
    private transient Counter[] failed;

    private transient CountsByKey failedByJob;

    /**
     * Jobs whose failure was logged since the routing table was built: one line each, not one per
     * record.
     */
    private transient Set<Long> failuresLogged;

    public RouteFunction(ConfigHolder config) {
        this(config, DEFAULT_MAX_RECORD_BYTES);
    }

    public RouteFunction(ConfigHolder config, long maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException(
                    "max record bytes must be positive, not " + maxRecordBytes);
        }
        this.config = config;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        // Before any record: the start config is read here, or the task fails to start.
        config.open(getRuntimeContext().getDistributedCache());
        decoder = new LogEventDecoder();
        reuse = new LogEvent();
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("sluice");
        routed = metrics.counter("recordsRouted");
        unconfigured = metrics.addGroup("dropped", "unconfigured").counter("records");
        undecodable = metrics.addGroup("dropped", "undecodable").counter("records");
        oversize = metrics.addGroup("dropped", "oversize").counter("records");
        configRejected = metrics.counter("configUpdatesRejected");
        rejectionLog = LogLimiter.perSecond();
        // Kept apart from rejections: a start replays the compacted config topic, whose older
        // versions all come back stale, and that must not page anyone.
        configStale = metrics.counter("configUpdatesStale");
        metrics.gauge("configVersion", () -> table == null ? -1L : table.version());
        schemaRejected = metrics.counter("schemaUpdatesRejected");
        schemaLog = LogLimiter.perSecond();
        LogEventDecoder schemas = decoder;
        metrics.gauge("writerSchemas", () -> (long) schemas.addedSchemas());
        filtered = metrics.counter("recordsFiltered");
        sampledOut = metrics.counter("recordsSampledOut");
        failed = new Counter[Stage.values().length];
        for (Stage stage : Stage.values()) {
            failed[stage.ordinal()] =
                    metrics.addGroup("failed", stage.label()).counter("recordsFailed");
        }
        failedByJob = new CountsByKey();
        failuresLogged = new HashSet<>();
        routedByJob = new CountsByKey();
        filteredByJob = new CountsByKey();
        sampledOutByJob = new CountsByKey();
        unconfiguredByCustomer = new CountsByKey();
        unreported = new HashMap<>();
        getRuntimeContext().addAccumulator(ROUTED_BY_JOB, routedByJob);
        getRuntimeContext().addAccumulator(FILTERED_BY_JOB, filteredByJob);
        getRuntimeContext().addAccumulator(SAMPLED_OUT_BY_JOB, sampledOutByJob);
        getRuntimeContext().addAccumulator(UNCONFIGURED_BY_CUSTOMER, unconfiguredByCustomer);
        getRuntimeContext().addAccumulator(FAILED_BY_JOB, failedByJob);
    }

    @Override
    public void close() throws Exception {
        config.close();
        super.close();
    }

    @Override
    public void processElement(byte[] value, ReadOnlyContext ctx, Collector<RoutedRecord> out)
            throws Exception {
        if (value != null && value.length > maxRecordBytes) {
            oversize.inc();
            ctx.output(DEAD_LETTERS, oversizeLetter(value));
            return;
        }
        LogEvent event;
        try {
            event = decoder.decode(value, reuse);
        } catch (UndecodableRecordException e) {
            undecodable.inc();
            ctx.output(DEAD_LETTERS, new DeadLetter(e.getMessage(), value));
            return;
        }
        if (!TimestampFormat.representable(event.getTimestampMicros())) {
            undecodable.inc();
            ctx.output(DEAD_LETTERS, new DeadLetter(outOfRange(event), value));
            return;
        }
        List<RoutingTable.Route> routes =
                table(ctx).routes(event.getCustomerId(), event.getDataset());
        if (routes.isEmpty()) {
            unconfigured.inc();
            unconfiguredByCustomer.add(event.getCustomerId());
            return;
        }
        for (RoutingTable.Route route : routes) {
            deliver(route, event, value, ctx, out);
        }
    }

    private static String outOfRange(LogEvent event) {
        return "timestamp_micros "
                + event.getTimestampMicros()
                + " is outside the years 1677 to 2262, which every timestamp_format can write";
    }

    /**
     * The dead letter of an oversize record: the reason, and only the record's first bytes, since
     * the whole of it may exceed the DLQ topic's message size.
     */
    private DeadLetter oversizeLetter(byte[] value) {
        int kept = Math.min(value.length, OVERSIZE_PAYLOAD_KEPT_BYTES);
        return new DeadLetter(
                "oversize record: "
                        + value.length
                        + " bytes, more than sluice.route.max-record-bytes ("
                        + maxRecordBytes
                        + "); payload cut to its first "
                        + kept
                        + " bytes",
                Arrays.copyOf(value, kept));
    }

    /**
     * The filter first, then the sample: Logpush samples what the filter kept. A runtime exception
     * from the job's filter, sampler or encoder dead-letters the record for this job only; the try
     * block costs nothing while nothing is thrown, and the collector's own failures (the task's,
     * not the job's) stay outside it.
     */
    private void deliver(
            RoutingTable.Route route,
            LogEvent event,
            byte[] value,
            ReadOnlyContext ctx,
            Collector<RoutedRecord> out) {
        Stage stage = Stage.FILTER;
        byte[] line;
        try {
            if (!route.filter().test(event)) {
                filtered.inc();
                filteredCounts.increment(route);
                unreported.computeIfAbsent(route.jobId(), id -> new long[2])[0]++;
                return;
            }
            stage = Stage.SAMPLE;
            if (!route.sampler().keep(value)) {
                sampledOut.inc();
                sampledOutCounts.increment(route);
                unreported.computeIfAbsent(route.jobId(), id -> new long[2])[1]++;
                return;
            }
            stage = Stage.ENCODE;
            line = encoders[route.encoder()].encode(event);
        } catch (RuntimeException e) {
            failed(route, stage, e, value, ctx);
            return;
        }
        out.collect(new RoutedRecord(route.jobId(), event.getTimestampMicros(), line));
        routed.inc();
        routedCounts.increment(route);
    }

    /** Dead-letters a record one job's {@code stage} failed on, with a reason naming both. */
    private void failed(
            RoutingTable.Route route,
            Stage stage,
            RuntimeException e,
            byte[] value,
            ReadOnlyContext ctx) {
        failed[stage.ordinal()].inc();
        failedByJob.add(route.counterKey());
        String text = String.valueOf(e);
        if (text.length() > FAILURE_TEXT_KEPT_CHARS) {
            text = text.substring(0, FAILURE_TEXT_KEPT_CHARS) + "...";
        }
        String reason = "job " + route.jobId() + ": its " + stage.label() + " failed: " + text;
        if (failuresLogged.add(route.jobId())) {
            LOG.warn(
                    "Record dead-lettered, {}; further failures of the job are counted, not logged,"
                            + " until the next config",
                    reason,
                    e);
        }
        ctx.output(DEAD_LETTERS, new DeadLetter(reason, value));
    }

    /**
     * Writes the config in force into broadcast state for the coming snapshot; see {@link
     * ConfigHolder#store}.
     */
    public void storeConfig(BroadcastState<String, String> state) throws Exception {
        config.store(state);
    }

    /** Hands the tallies of filtered and sampled-out records to {@code out} and resets them. */
    public void reportLedger(Consumer<RoutedRecord> out) {
        if (unreported == null || unreported.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, long[]> e : unreported.entrySet()) {
            long[] counts = e.getValue();
            out.accept(RoutedRecord.ledgerReport(e.getKey(), counts[0], counts[1]));
        }
        unreported.clear();
    }

    @Override
    public void processBroadcastElement(
            RouteUpdate update, Context ctx, Collector<RoutedRecord> out) throws Exception {
        if (update.kind == RouteUpdate.Kind.SCHEMA) {
            offerSchema(update.text, ctx.getBroadcastState(WriterSchemas.STATE));
        } else {
            offerConfig(update.text, ctx);
        }
    }

    private void offerConfig(String update, Context ctx) throws Exception {
        ConfigVerdict verdict =
                config.offer(update, ctx.getBroadcastState(ConfigHolder.CONFIG_STATE));
        if (verdict.kind() == ConfigVerdict.Kind.ACCEPTED) {
            table = null;
            LOG.info("Config update accepted: {}", verdict.reason());
        } else if (verdict.kind() == ConfigVerdict.Kind.STALE) {
            configStale.inc();
            LOG.info("Config update STALE, ignored: {}", verdict.reason());
        } else {
            configRejected.inc();
            if (rejectionLog.allow()) {
                LOG.warn(
                        "Config update {}; last-known-good stays: {} ({} more rejected since the"
                                + " last line)",
                        verdict.kind(),
                        verdict.reason(),
                        rejectionLog.takeHeld());
            }
        }
    }

    /**
     * Reviews a writer schema from the schema topic; an accepted one goes into {@code state} and
     * the decoder. Known ones (the topic is read from its start at every start) change nothing.
     */
    private void offerSchema(String json, BroadcastState<Long, String> state) throws Exception {
        WriterSchemaVerdict verdict = WriterSchemas.review(json);
        if (!verdict.isAccepted()) {
            schemaRejected.inc();
            if (schemaLog.allow()) {
                LOG.warn(
                        "Writer schema {} rejected: {} ({} more rejected since the last line)",
                        verdict.fingerprintHex(),
                        verdict.reason(),
                        schemaLog.takeHeld());
            }
            return;
        }
        if (verdict.fingerprint() == WriterSchemas.READER_FINGERPRINT
                || decoder.knows(verdict.fingerprint())) {
            return;
        }
        state.put(verdict.fingerprint(), json);
        decoder.add(verdict.fingerprint(), verdict.schema());
        LOG.info(
                "Writer schema {} accepted; differences from the reader schema: {}",
                verdict.fingerprintHex(),
                verdict.differences());
    }

    /**
     * Makes the writer schemas of restored broadcast state known again, before any record. A stored
     * schema this build's reader no longer accepts is left in state, unused, and counted.
     */
    public void restoreSchemas(Iterable<Map.Entry<Long, String>> stored) {
        for (Map.Entry<Long, String> entry : stored) {
            WriterSchemaVerdict verdict = WriterSchemas.review(entry.getValue());
            if (verdict.isAccepted()) {
                decoder.add(verdict.fingerprint(), verdict.schema());
            } else {
                schemaRejected.inc();
                LOG.warn(
                        "Restored writer schema {} is not usable by this build: {}",
                        SingleObjectEncoding.hex(entry.getKey()),
                        verdict.reason());
            }
        }
    }

    private RoutingTable table(ReadOnlyContext ctx) throws Exception {
        if (table == null) {
            use(RoutingTable.of(config.current(ctx.getBroadcastState(ConfigHolder.CONFIG_STATE))));
        }
        return table;
    }

    /**
     * Routes with {@code routingTable} until a config update is accepted; opened functions only.
     */
    void use(RoutingTable routingTable) {
        table = routingTable;
        encoders = routingTable.newEncoders();
        routedCounts = new RouteCounts(routedByJob, routingTable);
        filteredCounts = new RouteCounts(filteredByJob, routingTable);
        sampledOutCounts = new RouteCounts(sampledOutByJob, routingTable);
        failuresLogged.clear();
    }
}
