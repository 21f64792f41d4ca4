package dev.sluice.benchmarks;

import dev.sluice.route.LogEventDecoder;
import dev.sluice.route.UndecodableRecordException;
import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

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
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Decodes Kafka values (Avro single-object encoding) into a reused {@code LogEvent} and reads a
 * dozen of its fields by name, as the router and its encoder do: with Avro's own decoder ({@code
 * avro}, what the router used before {@code CurrentSchemaReader}) and with the router's {@link
 * LogEventDecoder} ({@code sluice}). The score is records per second.
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
    private int next;
    private final LogEvent reuse = new LogEvent();
    private final LogEventDecoder decoder = new LogEventDecoder();

    @Setup
    public void generate() {
        SplittableRandom random = new SplittableRandom(11);
        values = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            values[i] = SingleObjectEncoding.toBytes(event(random, i));
        }
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
