package dev.sluice.bench;

import dev.sluice.schemas.LogEvent;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Flink user writes first for the same task: KafkaSource → map each Avro record to an NDJSON
 * line with Jackson → FileSink (row format, a bucket per customer, the default rolling policy) into
 * a directory of any Flink file system: {@code s3://bucket/prefix} (Flink's S3 file system) or a
 * local one. No routing config, no filter, no compression, no bounds.
 */
final class NaiveJob {

    private NaiveJob() {}

    static void define(
            StreamExecutionEnvironment env,
            String bootstrapServers,
            String topic,
            String group,
            Path output) {
        KafkaSource<byte[]> source =
                KafkaSource.<byte[]>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topic)
                        .setGroupId(group)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(
                                KafkaRecordDeserializationSchema.valueOnly(
                                        ByteArrayDeserializer.class))
                        .build();
        FileSink<Tuple2<String, String>> sink =
                FileSink.forRowFormat(output, new LineEncoder())
                        .withBucketAssigner(new CustomerBuckets())
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka")
                .map(new ToNdjson())
                .returns(Types.TUPLE(Types.STRING, Types.STRING))
                .sinkTo(sink);
    }

    /** Decodes the Avro record and writes it as a JSON object, keyed by its customer. */
    static final class ToNdjson extends RichMapFunction<byte[], Tuple2<String, String>> {
        private static final long serialVersionUID = 1L;
        private transient ObjectMapper mapper;

        @Override
        public void open(OpenContext openContext) {
            mapper = new ObjectMapper();
        }

        @Override
        public Tuple2<String, String> map(byte[] value) throws IOException {
            LogEvent event = LogEvent.fromByteBuffer(ByteBuffer.wrap(value));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("customer_id", event.getCustomerId());
            json.put("dataset", event.getDataset());
            json.put("timestamp_micros", event.getTimestampMicros());
            json.putAll(event.getFields());
            return Tuple2.of(event.getCustomerId(), mapper.writeValueAsString(json));
        }
    }

    /** One line per record. */
    static final class LineEncoder implements Encoder<Tuple2<String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(Tuple2<String, String> element, OutputStream stream) throws IOException {
            stream.write(element.f1.getBytes(StandardCharsets.UTF_8));
            stream.write('\n');
        }
    }

    /** A bucket (directory) per customer. */
    static final class CustomerBuckets implements BucketAssigner<Tuple2<String, String>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(Tuple2<String, String> element, Context context) {
            return element.f0;
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
