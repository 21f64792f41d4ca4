package dev.sluice.jobs;

import dev.sluice.buffer.BufferOperator;
import dev.sluice.buffer.BufferSettings;
import dev.sluice.config.ConfigHolder;
import dev.sluice.config.GuardSettings;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.StartConfig;
import dev.sluice.route.DeadLetter;
import dev.sluice.route.RouteFunction;
import dev.sluice.route.RouteOperator;
import dev.sluice.route.RouteUpdate;
import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectSink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The dataflow, in one place: decode and route (fail closed) → per-job buffer → object sink, with
 * config updates broadcast to both stages, writer schemas broadcast to the router, and undecodable
 * records to a dead-letter sink. Sources and sinks are parameters so tests and the local runner
 * swap the I/O, not the pipeline.
 */
public final class SluicePipeline {

    /** Stable operator ids: savepoints map state by these; never change one. */
    public static final String LOGS_SOURCE_UID = "logs-source";

    public static final String CONFIG_SOURCE_UID = "config-source";
    public static final String ROUTE_UID = "route";
    public static final String BUFFER_UID = "buffer";
    public static final String OBJECT_SINK_UID = "object-sink";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";
    public static final String SCHEMA_SOURCE_UID = "schema-source";
    public static final String ROUTE_CONFIG_UID = "route-config-updates";

    private SluicePipeline() {}

    /**
     * Fails the job's construction, not its tasks in a restart loop, on a bad start config; writes
     * a good one to a file for the distributed cache. Null stays null: a restore.
     */
    static StartConfigFile startConfigFile(String startConfig) {
        if (startConfig == null) {
            return null;
        }
        try {
            return StartConfigFile.write(startConfig);
        } catch (InvalidConfigException e) {
            throw new IllegalArgumentException("the start config is invalid: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the start config cannot be written to a file", e);
        }
    }

    /**
     * {@link #define(DataStream, DataStream, String, GuardSettings, BufferSettings, Sink, Sink)}
     * with the default buffer settings.
     */
    public static void define(
            DataStream<byte[]> logs,
            DataStream<String> configUpdates,
            String startConfig,
            GuardSettings guard,
            Sink<BatchChunk> objects,
            Sink<DeadLetter> deadLetters) {
        define(
                logs,
                configUpdates,
                startConfig,
                guard,
                BufferSettings.defaults(),
                objects,
                deadLetters);
    }

    /**
     * {@link #define(DataStream, DataStream, String, GuardSettings, BufferSettings, long, Sink,
     * Sink)} with the default maximum record size.
     */
    public static void define(
            DataStream<byte[]> logs,
            DataStream<String> configUpdates,
            String startConfig,
            GuardSettings guard,
            BufferSettings buffer,
            Sink<BatchChunk> objects,
            Sink<DeadLetter> deadLetters) {
        define(
                logs,
                configUpdates,
                startConfig,
                guard,
                buffer,
                RouteFunction.DEFAULT_MAX_RECORD_BYTES,
                objects,
                deadLetters);
    }

    /**
     * {@link #define(DataStream, DataStream, StartConfigFile, GuardSettings, BufferSettings, long,
     * Sink, Sink)} with a start config given as JSON: validated, then written to a file of this
     * submission, so that it travels as a file too, never inside the functions.
     *
     * @param startConfig the snapshot the job starts with, or null when it is restored from a
     *     savepoint that holds its config
     * @throws IllegalArgumentException when the start config is invalid
     */
    public static void define(
            DataStream<byte[]> logs,
            DataStream<String> configUpdates,
            String startConfig,
            GuardSettings guard,
            BufferSettings buffer,
            long maxRecordBytes,
            Sink<BatchChunk> objects,
            Sink<DeadLetter> deadLetters) {
        define(
                logs,
                configUpdates,
                startConfigFile(startConfig),
                guard,
                buffer,
                maxRecordBytes,
                objects,
                deadLetters);
    }

    /**
     * {@link #define(DataStream, DataStream, DataStream, StartConfigFile, GuardSettings,
     * BufferSettings, long, Sink, Sink)} without writer schemas: the router decodes its own schema
     * only.
     */
    public static void define(
            DataStream<byte[]> logs,
            DataStream<String> configUpdates,
            StartConfigFile startConfig,
            GuardSettings guard,
            BufferSettings buffer,
            long maxRecordBytes,
            Sink<BatchChunk> objects,
            Sink<DeadLetter> deadLetters) {
        define(
                logs,
                configUpdates,
                null,
                startConfig,
                guard,
                buffer,
                maxRecordBytes,
                objects,
                deadLetters);
    }

    /**
     * Adds the pipeline to the environment of {@code logs}. The start config file is registered
     * with the environment's distributed cache; the operators carry its name and hash only.
     *
     * @param logs Kafka values of forwarded logs
     * @param configUpdates config snapshots (JSON) that arrive while running
     * @param schemaUpdates writer schemas (JSON) the router may decode besides its own, or null
     * @param startConfig the validated snapshot the job starts with, or null when it is restored
     *     from a savepoint that holds its config
     * @param guard the mass-change guard every config update passes, and whether inline credentials
     *     are refused, in the start config too
     * @throws IllegalArgumentException when the guard refuses the start config's inline credentials
     * @param buffer the buffer's per-subtask caps and compression
     * @param maxRecordBytes the longest Kafka value the router decodes; longer ones are dead
     *     letters
     */
    public static void define(
            DataStream<byte[]> logs,
            DataStream<String> configUpdates,
            DataStream<RouteUpdate> schemaUpdates,
            StartConfigFile startConfig,
            GuardSettings guard,
            BufferSettings buffer,
            long maxRecordBytes,
            Sink<BatchChunk> objects,
            Sink<DeadLetter> deadLetters) {
        if (startConfig != null) {
            startConfig
                    .refusal(guard)
                    .ifPresent(
                            reason -> {
                                throw new IllegalArgumentException(reason);
                            });
        }
        StartConfig start =
                startConfig == null ? null : startConfig.register(logs.getExecutionEnvironment());
        // Each operator is serialized with its own copy of the holder; it is a few bytes now.
        ConfigHolder config = new ConfigHolder(start, guard);
        // Every subtask of both stages sees every update; each keeps it in its broadcast state.
        DataStream<String> broadcastConfig = configUpdates.broadcast();

        SingleOutputStreamOperator<RoutedRecord> routed =
                logs.connect(routeUpdates(configUpdates, schemaUpdates).broadcast())
                        .transform(
                                "Decode and route (fail-closed)",
                                TypeInformation.of(RoutedRecord.class),
                                new RouteOperator(new RouteFunction(config, maxRecordBytes)))
                        .uid(ROUTE_UID)
                        .name("Decode and route (fail-closed)");

        routed.getSideOutput(RouteFunction.DEAD_LETTERS)
                .sinkTo(deadLetters)
                .uid(DEAD_LETTER_SINK_UID)
                .name("Dead letters");

        SingleOutputStreamOperator<BatchChunk> buffered =
                routed.keyBy(RoutedRecord::getJobId, Types.LONG)
                        .connect(broadcastConfig)
                        .transform(
                                "Per-job buffer",
                                TypeInformation.of(BatchChunk.class),
                                new BufferOperator(config, buffer))
                        .uid(BUFFER_UID)
                        .name("Per-job buffer");
        if (objects instanceof ObjectSink sink) {
            // The jobs' status learns when each batch opened, to tell what waits in the buffer.
            sink.followOpened(buffered.getSideOutput(BufferOperator.BATCHES_OPENED));
        }
        buffered
                // Forward, so the sink is chained to the buffer: a batch's chunks are then never
                // in flight at a checkpoint, which the sink relies on.
                .forward()
                .sinkTo(objects)
                .uid(OBJECT_SINK_UID)
                .name("Object sink");
    }

    /**
     * The router's broadcast input: config updates tagged as such, and writer schemas. Tagging
     * keeps the parallelism of the config source, so updates reach every router in the order the
     * topic holds them, as the buffer gets them; a union keeps the router one operator, whose
     * config state restores as it did.
     */
    private static DataStream<RouteUpdate> routeUpdates(
            DataStream<String> configUpdates, DataStream<RouteUpdate> schemaUpdates) {
        DataStream<RouteUpdate> config =
                configUpdates
                        .map(RouteUpdate::config, TypeInformation.of(RouteUpdate.class))
                        .setParallelism(configUpdates.getParallelism())
                        .uid(ROUTE_CONFIG_UID)
                        .name("Config updates for the router");
        return schemaUpdates == null ? config : config.union(schemaUpdates);
    }
}
