package dev.sluice.jobs;

import dev.sluice.buffer.BufferSettings;
import dev.sluice.config.GuardSettings;
import dev.sluice.route.RouteFunction;
import dev.sluice.sink.SinkSettings;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;

/**
 * Sluice's own settings. They live in the same Flink {@code Configuration} as Flink's settings, so
 * one mechanism sets both: the {@code config.yaml} files in {@code flink-conf/}, or {@code --set
 * KEY=VALUE} on the cluster job and on {@code bin/sluice local}.
 */
public final class SluiceOptions {

    private SluiceOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("sluice.kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka bootstrap servers of the log, config, schema and DLQ topics.");

    public static final ConfigOption<String> LOGS_TOPIC =
            ConfigOptions.key("sluice.kafka.logs-topic")
                    .stringType()
                    .defaultValue("sluice-logs")
                    .withDescription("Topic of forwarded logs (Avro single-object encoding).");

    public static final ConfigOption<String> CONFIG_TOPIC =
            ConfigOptions.key("sluice.kafka.config-topic")
                    .stringType()
                    .defaultValue("sluice-config")
                    .withDescription("Compacted topic of config snapshots (JSON).");

    public static final ConfigOption<String> SCHEMA_TOPIC =
            ConfigOptions.key("sluice.kafka.schema-topic")
                    .stringType()
                    .defaultValue("sluice-schemas")
                    .withDescription(
                            "Compacted topic of writer schemas (Avro JSON, keyed by fingerprint)"
                                    + " that the router decodes besides its own; written by"
                                    + " bin/sluice schema publish.");

    public static final ConfigOption<String> DLQ_TOPIC =
            ConfigOptions.key("sluice.kafka.dlq-topic")
                    .stringType()
                    .defaultValue("sluice-dead-letters")
                    .withDescription("Topic that receives undecodable records with their reason.");

    public static final ConfigOption<String> STATUS_TOPIC =
            ConfigOptions.key("sluice.kafka.status-topic")
                    .stringType()
                    .defaultValue("sluice-status")
                    .withDescription(
                            "Compacted topic of each delivery job's status (JSON, keyed by job"
                                    + " id), written on change; read by 'bin/sluice jobs status'.");

    public static final ConfigOption<Duration> STATUS_MIN_INTERVAL =
            ConfigOptions.key("sluice.status.min-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "The least time between two statuses of one delivery job on the"
                                    + " status topic: a change inside it waits for its end, so a"
                                    + " flapping job cannot flood the topic.");

    public static final ConfigOption<String> MANIFEST_DESTINATION =
            ConfigOptions.key("sluice.manifest.destination")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Where the manifest of each committed object goes, as a"
                                    + " destination_conf (s3://, r2://, file://): one JSON object"
                                    + " per batch at <prefix>/<job>/<seq>.json, written once the"
                                    + " batch's object is committed. Empty: no manifests.");

    /** The park destination that declines a park store on purpose ({@link #PARK_DESTINATION}). */
    public static final String NO_PARK_DESTINATION = SinkSettings.NO_PARK_DESTINATION;

    public static final ConfigOption<String> PARK_DESTINATION =
            ConfigOptions.key("sluice.sink.park-destination")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Where batches go when their job's destination fails (5xx, timeouts,"
                                + " access denied, missing bucket), as a destination_conf: under"
                                + " <prefix>/<their own key>, with their metadata, for 'bin/sluice"
                                + " redrive'. Required; 'none' declines it on purpose: a failing"
                                + " destination's batches are then discarded and counted"
                                + " (discardedBatches), never held, and every other job goes on.");

    public static final ConfigOption<Duration> DESTINATION_COOLDOWN =
            ConfigOptions.key("sluice.sink.destination-cooldown")
                    .durationType()
                    .defaultValue(Duration.ofMillis(SinkSettings.DEFAULT_COOLDOWN_MILLIS))
                    .withDescription(
                            "How long a failed destination's batches are parked without trying"
                                    + " it; doubles with each failure in a row, up to"
                                    + " sluice.sink.destination-max-cooldown.");

    public static final ConfigOption<Duration> DESTINATION_MAX_COOLDOWN =
            ConfigOptions.key("sluice.sink.destination-max-cooldown")
                    .durationType()
                    .defaultValue(Duration.ofMillis(SinkSettings.DEFAULT_MAX_COOLDOWN_MILLIS))
                    .withDescription("The longest a failed destination is skipped.");

    public static final ConfigOption<MemorySize> WHOLE_OBJECT_MAX_SIZE =
            ConfigOptions.key("sluice.sink.whole-object-max-size")
                    .memoryType()
                    .defaultValue(
                            MemorySize.parse(SinkSettings.DEFAULT_WHOLE_OBJECT_MAX_BYTES + "b"))
                    .withDescription(
                            "The largest batch (compressed) that is not staged in the store but"
                                + " carried in the checkpoint and written in one request (PUT) once"
                                + " the checkpoint completes; larger batches are staged as"
                                + " multipart uploads (create, parts, complete). 0: stage every"
                                + " batch. At most 64 mb.");

    /** The object sink's settings as configured. */
    public static SinkSettings sink(ReadableConfig conf) {
        return new SinkSettings(
                conf.get(MANIFEST_DESTINATION),
                conf.get(PARK_DESTINATION),
                conf.get(DESTINATION_COOLDOWN).toMillis(),
                conf.get(DESTINATION_MAX_COOLDOWN).toMillis(),
                conf.get(WHOLE_OBJECT_MAX_SIZE).getBytes());
    }

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("sluice.kafka.group-id")
                    .stringType()
                    .defaultValue("sluice")
                    .withDescription("Consumer group id (offsets are committed on checkpoints).");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("sluice.kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Read the topics up to their end offsets at start, deliver everything,"
                                    + " and finish (backfills and tests).");

    public static final ConfigOption<Double> GUARD_MAX_DISABLE_FRACTION =
            ConfigOptions.key("sluice.config.guard.max-disable-fraction")
                    .doubleType()
                    .defaultValue(GuardSettings.DEFAULT_MAX_DISABLE_FRACTION)
                    .withFallbackKeys("config.guard.max-disable-fraction")
                    .withDescription(
                            "Largest fraction of the enabled jobs one config update may disable or"
                                + " remove without \"force\": true (one job may always change).");

    public static final ConfigOption<Double> GUARD_MAX_ENABLE_FACTOR =
            ConfigOptions.key("sluice.config.guard.max-enable-factor")
                    .doubleType()
                    .defaultValue(GuardSettings.DEFAULT_MAX_ENABLE_FACTOR)
                    .withFallbackKeys("config.guard.max-enable-factor")
                    .withDescription(
                            "Most jobs one config update may newly enable without \"force\": true,"
                                    + " as a multiple of the jobs enabled now.");

    /** What becomes of a config update with credentials written inline. */
    public enum InlineCredentials {
        /** Refused by the review, naming the job and how to use a reference. */
        REJECT,
        /** Taken (local runs): the secret travels with the config, into state and savepoints. */
        ALLOW
    }

    public static final ConfigOption<InlineCredentials> INLINE_CREDENTIALS =
            ConfigOptions.key("sluice.config.inline-credentials")
                    .enumType(InlineCredentials.class)
                    .defaultValue(InlineCredentials.ALLOW)
                    .withDescription(
                            "reject: a config update that adds or changes a job whose"
                                + " destination_conf holds access-key-id, secret-access-key or"
                                + " session-token is refused; jobs name a credential the"
                                + " TaskManagers hold instead (credentials=NAME: files"
                                + " NAME/access-key-id and NAME/secret-access-key in the directory"
                                + " of -Dsluice.credentials.dir or SLUICE_CREDENTIALS_DIR, default"
                                + " /etc/sluice/credentials). allow (the default, for local use):"
                                + " inline keys are taken. The shipped cluster config rejects.");

    /** The guard as configured. */
    public static GuardSettings guard(ReadableConfig conf) {
        return new GuardSettings(
                conf.get(GUARD_MAX_DISABLE_FRACTION),
                conf.get(GUARD_MAX_ENABLE_FACTOR),
                conf.get(INLINE_CREDENTIALS) == InlineCredentials.REJECT);
    }

    public static final ConfigOption<Duration> DEFAULT_CHECKPOINT_INTERVAL =
            ConfigOptions.key("sluice.checkpointing.default-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval used when execution.checkpointing.interval is not"
                                    + " set. Objects become visible on checkpoints, so Sluice never"
                                    + " runs without them.");

    public static final ConfigOption<MemorySize> ROUTE_MAX_RECORD_BYTES =
            ConfigOptions.key("sluice.route.max-record-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse(RouteFunction.DEFAULT_MAX_RECORD_BYTES + "b"))
                    .withDescription(
                            "Largest Kafka value (one forwarded log) the router decodes. A longer"
                                    + " one goes to the dead-letter topic, cut to its first"
                                    + " kilobyte, with the reason, and is counted"
                                    + " (dropped.oversize.records).");

    public static final ConfigOption<Integer> BUFFER_MAX_ACTIVE_JOBS =
            ConfigOptions.key("sluice.buffer.max-active-jobs")
                    .intType()
                    .defaultValue(BufferSettings.DEFAULT_MAX_ACTIVE_JOBS)
                    .withFallbackKeys("buffer.max-active-jobs")
                    .withDescription(
                            "Most jobs with an open batch per buffer subtask. At the cap the oldest"
                                    + " open batch is delivered early; nothing is dropped.");

    public static final ConfigOption<MemorySize> BUFFER_MAX_BYTES =
            ConfigOptions.key("sluice.buffer.max-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse(BufferSettings.DEFAULT_MAX_BYTES + "b"))
                    .withFallbackKeys("buffer.max-bytes")
                    .withDescription(
                            "Most bytes (compressed chunks plus pending records) the open batches"
                                    + " of one buffer subtask hold. At the cap the largest batches"
                                    + " are delivered early until a tenth of it is free.");

    public static final ConfigOption<MemorySize> BUFFER_CHUNK_SIZE =
            ConfigOptions.key("sluice.buffer.chunk-size")
                    .memoryType()
                    .defaultValue(MemorySize.parse(BufferSettings.DEFAULT_CHUNK_BYTES + "b"))
                    .withDescription(
                            "Uncompressed bytes of a job's pending records that are compressed"
                                    + " into one chunk (a gzip member or zstd frame); 64 KiB to"
                                    + " 256 MiB.");

    public static final ConfigOption<MemorySize> BUFFER_MEMORY =
            ConfigOptions.key("sluice.buffer.memory")
                    .memoryType()
                    .noDefaultValue()
                    .withDescription(
                            "Most uncompressed records the open batches of one buffer subtask keep"
                                    + " in memory between checkpoints, counted as the arrays"
                                    + " holding them, one a batch (they reach the state"
                                    + " backend at each barrier, not record by record). Beyond"
                                    + " it the largest pending sets are compressed into chunks"
                                    + " early (chunksCompressedEarly), or written to the state"
                                    + " backend if under 64 KiB (recordsSpilled). At least the"
                                    + " chunk size. Unset, each subtask takes a quarter of the"
                                    + " TaskManager's heap per slot, at least 64 MiB and at most"
                                    + " sluice.buffer.max-bytes (gauge memoryBudgetBytes).");

    public static final ConfigOption<Integer> BUFFER_GZIP_LEVEL =
            ConfigOptions.key("sluice.buffer.gzip-level")
                    .intType()
                    .defaultValue(BufferSettings.DEFAULT_GZIP_LEVEL)
                    .withDescription("Deflate level of gzip objects, 1 (fastest) to 9 (smallest).");

    public static final ConfigOption<Integer> BUFFER_ZSTD_LEVEL =
            ConfigOptions.key("sluice.buffer.zstd-level")
                    .intType()
                    .defaultValue(BufferSettings.DEFAULT_ZSTD_LEVEL)
                    .withDescription("Level of zstd objects, 1 to 19.");

    /**
     * The buffer's caps and compression as configured, and the checkpoint interval as how far ahead
     * of a barrier a batch's interval may end for it to go out at that barrier.
     */
    public static BufferSettings buffer(ReadableConfig conf) {
        Duration checkpointInterval = conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        return new BufferSettings(
                conf.get(BUFFER_CHUNK_SIZE).getBytes(),
                conf.get(BUFFER_MAX_ACTIVE_JOBS),
                conf.get(BUFFER_MAX_BYTES).getBytes(),
                conf.get(BUFFER_GZIP_LEVEL),
                conf.get(BUFFER_ZSTD_LEVEL),
                // Batches whose interval ends before the next barrier go out at this one.
                checkpointInterval == null ? 0 : checkpointInterval.toMillis(),
                conf.getOptional(BUFFER_MEMORY)
                        .map(MemorySize::getBytes)
                        .orElse(BufferSettings.AUTO_MEMORY));
    }

    public static final ConfigOption<MemorySize> CONFIG_MAX_UPDATE_BYTES =
            ConfigOptions.key("sluice.config.max-update-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse("16mb"))
                    .withDescription(
                            "Longest record on the config topic that is read. A longer one is"
                                    + " rejected unread and counted (configUpdatesRejected,"
                                    + " reason oversize); the config in force stays.");
}
