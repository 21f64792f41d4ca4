package dev.sluice.jobs;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The config source takes any bytes: nothing on the topic can fail it. */
class ConfigRecordDeserializerTest {

    private static final int MAX_BYTES = 64;

    /** Rejections counted, by reason. */
    private final Map<String, Long> rejected = new HashMap<>();

    private final ConfigRecordDeserializer deserializer = opened();

    @Property(tries = 500)
    void anyValueIsReadOrRejectedWithoutFailing(@ForAll("values") byte[] value) {
        List<String> out = read(value);

        if (value == null || value.length > MAX_BYTES) {
            assertThat(out).isEmpty();
        } else {
            assertThat(out).containsExactly(new String(value, StandardCharsets.UTF_8));
        }
    }

    @Property(tries = 50)
    void textWithinTheLimitPassesUnchanged(@ForAll("json") String json) {
        assertThat(read(json.getBytes(StandardCharsets.UTF_8))).containsExactly(json);
    }

    @Provide
    Arbitrary<byte[]> values() {
        Arbitrary<byte[]> bytes =
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(MAX_BYTES * 2);
        return Arbitraries.oneOf(bytes, Arbitraries.just(null), Arbitraries.just(new byte[0]));
    }

    @Provide
    Arbitrary<String> json() {
        return Arbitraries.integers()
                .between(0, Integer.MAX_VALUE)
                .map(v -> "{\"version\": " + v + ", \"delete\": 1}");
    }

    @Example
    void countsWhatItRejectsByReason() {
        read(null);
        read(null);
        read(new byte[MAX_BYTES + 1]);
        read(new byte[MAX_BYTES]);

        assertThat(rejected).containsEntry("tombstone", 2L).containsEntry("oversize", 1L);
    }

    private ConfigRecordDeserializer opened() {
        ConfigRecordDeserializer d = new ConfigRecordDeserializer(MAX_BYTES);
        d.open(ReasonCountersContext.into(rejected));
        return d;
    }

    private List<String> read(byte[] value) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("sluice-config", 0, 7L, "config".getBytes(), value);
        List<String> out = new ArrayList<>();
        deserializer.deserialize(record, new ListCollector(out));
        return out;
    }

    private record ListCollector(List<String> out) implements Collector<String> {
        @Override
        public void collect(String record) {
            out.add(record);
        }

        @Override
        public void close() {}
    }
}
