package dev.sluice.jobs;

import dev.sluice.buffer.Batch;
import dev.sluice.buffer.BufferFunction;
import dev.sluice.config.ConfigHolder;
import dev.sluice.config.ConfigParser;
import dev.sluice.config.GuardSettings;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.route.DeadLetter;
import dev.sluice.route.RouteFunction;
import dev.sluice.route.RoutedRecord;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The dataflow, in one place: decode and route (fail closed) → per-job buffer → object sink, with
 * config updates broadcast to both stages and undecodable records to a dead-letter sink. Sources
 * and sinks are parameters so tests and the local runner swap the I/O, not the pipeline.
 */
public final class SluicePipeline {

    /** Stable operator ids: savepoints map state by these; never change one. */
    public static final String LOGS_SOURCE_UID = "logs-source";

    public static final String CONFIG_SOURCE_UID = "config-source";
    public static final String ROUTE_UID = "route";
    public static final String BUFFER_UID = "buffer";
    public static final String OBJECT_SINK_UID = "object-sink";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";

    private SluicePipeline() {}

    /** Fails the job's construction, not its tasks in a restart loop, on a bad start config. */
    private static void requireValid(String startConfig) {
        try {
            ConfigParser.parse(startConfig);
        } catch (InvalidConfigException e) {
            throw new IllegalArgumentException("the start config is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Adds the pipeline to the environment of {@code logs}.
     *
     * @param logs Kafka values of forwarded logs
     * @param configUpdates config snapshots (JSON) that arrive while running
     * @param startConfig the validated snapshot the job starts with, or null when it is restored
     *     from a savepoint that holds its config
     * @param guard the mass-change guard every config update passes
     */
    public static void define(
            DataStream<byte[]> logs,
            DataStream<String> configUpdates,
            String startConfig,
            GuardSettings guard,
            Sink<Batch> objects,
            Sink<DeadLetter> deadLetters) {
        if (startConfig != null) {
            requireValid(startConfig);
        }
        ConfigHolder config = new ConfigHolder(startConfig, guard);
        BroadcastStream<String> broadcastConfig =
                configUpdates.broadcast(ConfigHolder.CONFIG_STATE);

        SingleOutputStreamOperator<RoutedRecord> routed =
                logs.connect(broadcastConfig)
                        .process(new RouteFunction(config))
                        .uid(ROUTE_UID)
                        .name("Decode and route (fail-closed)");

        routed.getSideOutput(RouteFunction.DEAD_LETTERS)
                .sinkTo(deadLetters)
                .uid(DEAD_LETTER_SINK_UID)
                .name("Dead letters");

        routed.keyBy(RoutedRecord::getJobId, Types.LONG)
                .connect(broadcastConfig)
                .process(new BufferFunction(config))
                .uid(BUFFER_UID)
                .name("Per-job buffer")
                .sinkTo(objects)
                .uid(OBJECT_SINK_UID)
                .name("Object sink");
    }
}
