package dev.sluice.benchmarks;

import dev.sluice.route.LogEventDecoder;
import dev.sluice.route.UndecodableRecordException;
import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Decodes Kafka values (Avro single-object encoding) into a reused {@code LogEvent} and reads a
 * dozen of its fields by name, as the router and its encoder do: with Avro's own decoder ({@code
 * avro}, what the router used before {@code CurrentSchemaReader}) and with the router's {@link
 * LogEventDecoder} ({@code sluice}). The score is records per second.
 *
 * <p>{@code sluiceNewerWriter} and {@code sluiceOlderWriter} decode the same events written by
 * forwarders on another schema, made known to the decoder as the schema topic would: a newer one
 * with one more field ({@code forwarder}, a string with a default), which Avro's resolution skips,
 * and an older one without the {@code fields} map, which the reader's default fills (its records
 * carry the envelope only). Both go through Avro's resolving decoder, not {@code
 * CurrentSchemaReader}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class DecodeBenchmark {

    private static final int RECORDS = 4_096;

    /** What an NDJSON job of the bench selects: all but one of the generated fields. */
    private static final String[] SELECTED = {
        "ClientIP",
        "ClientRequestHost",
        "ClientRequestMethod",
        "ClientRequestURI",
        "ClientCountry",
        "ClientDeviceType",
        "ClientRequestUserAgent",
        "EdgeResponseStatus",
        "EdgeResponseBytes",
        "EdgeTimeToFirstByteMs",
        "CacheCacheStatus",
        "RayID"
    };

    private byte[][] values;
    private byte[][] newerValues;
    private byte[][] olderValues;
    private int next;
    private final LogEvent reuse = new LogEvent();
    private final LogEventDecoder decoder = new LogEventDecoder();

    @Setup
    public void generate() {
        SplittableRandom random = new SplittableRandom(11);
        values = new byte[RECORDS][];
        newerValues = new byte[RECORDS][];
        olderValues = new byte[RECORDS][];
        Schema newer = withForwarder();
        Schema older = withoutFields();
        decoder.add(SchemaNormalization.parsingFingerprint64(newer), newer);
        decoder.add(SchemaNormalization.parsingFingerprint64(older), older);
        for (int i = 0; i < RECORDS; i++) {
            LogEvent event = event(random, i);
            values[i] = SingleObjectEncoding.toBytes(event);
            newerValues[i] = encode(newer, event);
            olderValues[i] = encode(older, event);
        }
    }

    @Benchmark
    public void sluiceNewerWriter(Blackhole out) throws UndecodableRecordException {
        read(decoder.decode(newerValues[next], reuse), out);
        nextValue();
    }

    @Benchmark
    public void sluiceOlderWriter(Blackhole out) throws UndecodableRecordException {
        read(decoder.decode(olderValues[next], reuse), out);
        nextValue();
    }

    /** LogEvent's schema with one more field, as a newer forwarder writes it. */
    private static Schema withForwarder() {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : LogEvent.getClassSchema().getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("forwarder", Schema.create(Schema.Type.STRING), null, ""));
        return like(fields);
    }

    /** LogEvent's schema without its fields map, as an older forwarder writes it. */
    private static Schema withoutFields() {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : LogEvent.getClassSchema().getFields()) {
            if (!f.name().equals("fields")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return like(fields);
    }

    private static Schema like(List<Schema.Field> fields) {
        Schema own = LogEvent.getClassSchema();
        return Schema.createRecord(own.getName(), null, own.getNamespace(), false, fields);
    }

    /** {@code event} written with {@code schema}: its fields of the same name, "fwd" for others. */
    private static byte[] encode(Schema schema, LogEvent event) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            Schema.Field own = LogEvent.getClassSchema().getField(f.name());
            record.put(f.name(), own == null ? "fwd" : event.get(own.pos()));
        }
        return SingleObjectEncoding.toBytes(record);
    }

    @Benchmark
    public void avro(Blackhole out) throws IOException {
        read(LogEvent.getDecoder().decode(nextValue(), reuse), out);
    }

    @Benchmark
    public void sluice(Blackhole out) throws UndecodableRecordException {
        read(decoder.decode(nextValue(), reuse), out);
    }

    private byte[] nextValue() {
        byte[] value = values[next];
        next = (next + 1) % RECORDS;
        return value;
    }

    private static void read(LogEvent event, Blackhole out) {
        out.consume(event.getCustomerId());
        Map<String, Object> fields = event.getFields();
        for (String name : SELECTED) {
            out.consume(fields.get(name));
        }
    }

    /** An event like the local generator's {@code http_requests}: 13 fields, 5 of them numbers. */
    private static LogEvent event(SplittableRandom random, int i) {
        Map<String, Object> f = new HashMap<>();
        String customer = String.format("c%04d", random.nextInt(2_000));
        f.put("ClientIP", "198.51." + random.nextInt(256) + "." + random.nextInt(256));
        f.put("ClientRequestHost", customer + ".example.com");
        f.put("ClientRequestMethod", random.nextInt(10) < 8 ? "GET" : "POST");
        f.put("ClientRequestURI", "/api/v1/items/" + random.nextInt(1_000));
        f.put("ClientCountry", random.nextBoolean() ? "us" : "de");
        f.put("ClientDeviceType", random.nextBoolean() ? "desktop" : "mobile");
        f.put("ClientRequestUserAgent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Firefox/133.0");
        f.put("EdgeResponseStatus", random.nextInt(10) < 8 ? 200L : 404L);
        f.put("EdgeResponseBytes", 200L + random.nextInt(200_000));
        f.put("EdgeTimeToFirstByteMs", (long) random.nextInt(400));
        f.put("CacheCacheStatus", random.nextBoolean() ? "hit" : "miss");
        f.put("RayID", Long.toHexString(random.nextLong() | Long.MIN_VALUE));
        f.put("WAFScore", random.nextInt(100) < 5 ? null : (double) random.nextInt(100));
        return LogEvent.newBuilder()
                .setCustomerId(customer)
                .setDataset("http_requests")
                .setTimestampMicros(SampleRecords.T0_MICROS + i)
                .setFields(f)
                .build();
    }
}
