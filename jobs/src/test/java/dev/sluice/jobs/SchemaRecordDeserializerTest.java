package dev.sluice.jobs;

import dev.sluice.route.RouteUpdate;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema source takes any bytes: nothing on the topic can fail it. */
class SchemaRecordDeserializerTest {

    /** Rejections counted, by reason. */
    private final Map<String, Long> rejected = new HashMap<>();

    private final SchemaRecordDeserializer deserializer = opened();

    @Property(tries = 300)
    void anyValueIsPassedOnAsASchemaOrRejectedWithoutFailing(@ForAll("values") byte[] value) {
        List<RouteUpdate> out = read(value);

        if (value == null) {
            assertThat(out).isEmpty();
        } else {
            assertThat(out).hasSize(1);
            assertThat(out.get(0).kind).isEqualTo(RouteUpdate.Kind.SCHEMA);
            assertThat(out.get(0).text).isEqualTo(new String(value, StandardCharsets.UTF_8));
        }
    }

    @Provide
    Arbitrary<byte[]> values() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(bytes, Arbitraries.just(null));
    }

    @Example
    void countsTombstonesAndOversizeValuesByReason() {
        read(null);
        read(new byte[SchemaRecordDeserializer.MAX_SCHEMA_BYTES + 1]);
        List<RouteUpdate> fits = read(new byte[SchemaRecordDeserializer.MAX_SCHEMA_BYTES]);

        assertThat(rejected).containsEntry("tombstone", 1L).containsEntry("oversize", 1L);
        assertThat(fits).hasSize(1);
    }

    private SchemaRecordDeserializer opened() {
        SchemaRecordDeserializer d = new SchemaRecordDeserializer();
        d.open(ReasonCountersContext.into(rejected));
        return d;
    }

    private List<RouteUpdate> read(byte[] value) {
        List<RouteUpdate> out = new ArrayList<>();
        deserializer.deserialize(
                new ConsumerRecord<>("sluice-schemas", 0, 3L, null, value),
                new ListCollector<>(out));
        return out;
    }
}
