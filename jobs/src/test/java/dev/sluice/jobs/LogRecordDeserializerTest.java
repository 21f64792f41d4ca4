package dev.sluice.jobs;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every value of the logs topic reaches the router, a tombstone as an empty value. */
class LogRecordDeserializerTest {

    @Property(tries = 200)
    void everyValueIsHandedOnAsItIs(@ForAll byte[] value) {
        assertThat(read(value)).containsExactly(value);
    }

    @Example
    void aTombstoneIsHandedOnEmpty() {
        assertThat(read(null)).singleElement().satisfies(v -> assertThat(v).isEmpty());
    }

    private static List<byte[]> read(byte[] value) {
        List<byte[]> out = new ArrayList<>();
        new LogRecordDeserializer()
                .deserialize(
                        new ConsumerRecord<>("sluice-logs", 0, 0L, null, value),
                        new Collector<>() {
                            @Override
                            public void collect(byte[] record) {
                                out.add(record);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }
}
