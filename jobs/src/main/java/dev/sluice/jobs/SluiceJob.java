package dev.sluice.jobs;

import dev.sluice.config.InvalidConfigException;
import dev.sluice.route.DeadLetter;
import dev.sluice.route.RouteUpdate;
import dev.sluice.sink.ObjectSink;
import dev.sluice.sink.SinkSettings;
import dev.sluice.status.JobStatus;
import dev.sluice.status.StatusTopology;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The production job: Kafka in, objects out. Wires Kafka sources and the DLQ sink around {@link
 * SluicePipeline}. Entry point: {@link SluiceJobCommand}.
 */
public final class SluiceJob {

    private SluiceJob() {}

    /**
     * The user's configuration with Sluice's defaults filled in where it sets none: exactly-once
     * checkpoints (objects become visible on checkpoints), no silent fallback to Kryo, and object
     * reuse between chained operators.
     *
     * <p>Object reuse because the buffer, the object sink's writer and its committer are chained
     * and hand each other whole objects' bytes: without it Flink copies every chunk the buffer
     * emits and serializes every committable and reads it back at each of the two chained hops
     * after the writer, which at the end of input or of a busy interval is thousands of objects. It
     * is safe for this job's operators: none keeps or changes an object it has emitted, and the
     * only inputs kept (a record's line, a chunk's bytes, a committable) are new objects every
     * time; network inputs are never reused by Flink's streaming runtime.
     */
    public static Configuration withDefaults(Configuration user) {
        Configuration conf = new Configuration(user);
        defaultTo(
                conf,
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                conf.get(SluiceOptions.DEFAULT_CHECKPOINT_INTERVAL));
        defaultTo(conf, PipelineOptions.GENERIC_TYPES, false);
        defaultTo(conf, PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    private static <T> void defaultTo(Configuration conf, ConfigOption<T> option, T value) {
        if (!conf.contains(option)) {
            conf.set(option, value);
        }
    }

    /**
     * Reads and validates the start config file, and takes its hash; the job never starts without a
     * valid one. The file is read as a stream: a large config is never held as a String too.
     */
    public static StartConfigFile readStartConfig(Path file)
            throws InvalidConfigException, IOException {
        return StartConfigFile.read(file);
    }

    /**
     * Adds the whole job, Kafka I/O included, to {@code env}, with a start config given as JSON
     * (local runs, tests, benchmarks; written to a file of this submission), or null when restoring
     * a savepoint that holds one.
     *
     * @throws IllegalArgumentException when the start config is invalid
     */
    public static void define(
            StreamExecutionEnvironment env, Configuration conf, String startConfig) {
        define(env, conf, SluicePipeline.startConfigFile(startConfig));
    }

    /**
     * Adds the whole job, Kafka I/O included, to {@code env}, with a start config file {@link
     * #readStartConfig} validated, or null when restoring a savepoint that holds one.
     */
    public static void define(
            StreamExecutionEnvironment env, Configuration conf, StartConfigFile startConfig) {
        SluicePipeline.define(
                logs(env, conf),
                configUpdates(env, conf),
                SchemaTopicCheck.readSchemaTopic(conf) ? schemaUpdates(env, conf) : null,
                startConfig,
                SluiceOptions.guard(conf),
                SluiceOptions.buffer(conf),
                conf.get(SluiceOptions.ROUTE_MAX_RECORD_BYTES).getBytes(),
                objectSink(conf),
                deadLetterSink(conf));
    }

    /** The object sink, followed by the jobs' status on the status topic. */
    public static ObjectSink objectSink(Configuration conf) {
        SinkSettings settings = SluiceOptions.sink(conf);
        return new ObjectSink(
                settings,
                new StatusTopology(
                        settings.parkDestination(),
                        conf.get(SluiceOptions.STATUS_MIN_INTERVAL).toMillis(),
                        statusSink(conf)));
    }

    /**
     * Job statuses to the status topic, keyed by job id; at least once, as the compacted topic
     * keeps the latest of each job and a repeated status says nothing new.
     */
    public static KafkaSink<JobStatus> statusSink(Configuration conf) {
        return KafkaSink.<JobStatus>builder()
                .setBootstrapServers(bootstrapServers(conf))
                .setRecordSerializer(
                        new JobStatusRecordSerializer(conf.get(SluiceOptions.STATUS_TOPIC)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** The forwarded-logs stream: raw Kafka values, decoded later so bad ones reach the DLQ. */
    public static DataStream<byte[]> logs(StreamExecutionEnvironment env, Configuration conf) {
        KafkaSource<byte[]> source =
                kafkaSource(
                        conf,
                        conf.get(SluiceOptions.LOGS_TOPIC),
                        "logs",
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST),
                        new LogRecordDeserializer());
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Forwarded logs")
                .uid(SluicePipeline.LOGS_SOURCE_UID);
    }

    /** Config snapshots from the config topic, read by one reader and broadcast. */
    public static DataStream<String> configUpdates(
            StreamExecutionEnvironment env, Configuration conf) {
        KafkaSource<String> source =
                kafkaSource(
                        conf,
                        conf.get(SluiceOptions.CONFIG_TOPIC),
                        "config",
                        // The whole compacted topic, every time: versions decide, not offsets.
                        OffsetsInitializer.earliest(),
                        new ConfigRecordDeserializer(
                                conf.get(SluiceOptions.CONFIG_MAX_UPDATE_BYTES).getBytes()));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Config updates")
                .uid(SluicePipeline.CONFIG_SOURCE_UID)
                .setParallelism(1);
    }

    /**
     * Writer schemas from the schema topic, read by one reader and broadcast to the routers. The
     * topic is matched as a pattern, so a job whose schema topic does not exist yet runs on (with
     * the schemas in its state) and picks the topic up when it appears, at the next partition
     * discovery.
     */
    public static DataStream<RouteUpdate> schemaUpdates(
            StreamExecutionEnvironment env, Configuration conf) {
        KafkaSourceBuilder<RouteUpdate> builder =
                kafkaSourceBuilder(
                        conf,
                        "schemas",
                        // The whole compacted topic, every time: known schemas change nothing.
                        OffsetsInitializer.earliest(),
                        new SchemaRecordDeserializer());
        builder.setTopicPattern(
                Pattern.compile(Pattern.quote(conf.get(SluiceOptions.SCHEMA_TOPIC))));
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "Writer schemas")
                .uid(SluicePipeline.SCHEMA_SOURCE_UID)
                .setParallelism(1);
    }

    /** Dead letters to the DLQ topic; at least once, as a DLQ is for people to look at. */
    public static KafkaSink<DeadLetter> deadLetterSink(Configuration conf) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers(conf))
                .setRecordSerializer(
                        new DeadLetterRecordSerializer(conf.get(SluiceOptions.DLQ_TOPIC)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static String bootstrapServers(Configuration conf) {
        return conf.getOptional(SluiceOptions.BOOTSTRAP_SERVERS)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        SluiceOptions.BOOTSTRAP_SERVERS.key() + " is required"));
    }

    private static <T> KafkaSource<T> kafkaSource(
            Configuration conf,
            String topic,
            String role,
            OffsetsInitializer startingOffsets,
            KafkaRecordDeserializationSchema<T> schema) {
        return kafkaSourceBuilder(conf, role, startingOffsets, schema).setTopics(topic).build();
    }

    private static <T> KafkaSourceBuilder<T> kafkaSourceBuilder(
            Configuration conf,
            String role,
            OffsetsInitializer startingOffsets,
            KafkaRecordDeserializationSchema<T> schema) {
        KafkaSourceBuilder<T> builder =
                KafkaSource.<T>builder()
                        .setBootstrapServers(bootstrapServers(conf))
                        // Records of an aborted transaction (a replay of dead letters that was
                        // interrupted) are never read: the replay sends them again.
                        .setProperty("isolation.level", "read_committed")
                        .setGroupId(conf.get(SluiceOptions.GROUP_ID))
                        .setClientIdPrefix(conf.get(SluiceOptions.GROUP_ID) + "-" + role)
                        .setStartingOffsets(startingOffsets)
                        .setDeserializer(schema);
        if (conf.get(SluiceOptions.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder;
    }
}
