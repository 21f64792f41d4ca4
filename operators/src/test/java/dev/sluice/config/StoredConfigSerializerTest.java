package dev.sluice.config;

import dev.sluice.route.RouteFunction;
import dev.sluice.route.RouteUpdate;
import dev.sluice.route.RoutedRecord;
import dev.sluice.testing.TestConfigs;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static dev.sluice.testing.TestEvents.encoded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredConfigSerializerTest {

    private static final StoredConfigSerializer SERIALIZER = StoredConfigSerializer.INSTANCE;

    /** The descriptor of the builds before this serializer: the same state, Flink's strings. */
    private static final MapStateDescriptor<String, String> STRING_WRITTEN =
            new MapStateDescriptor<>(
                    ConfigHolder.CONFIG_STATE.getName(), Types.STRING, Types.STRING);

    private static final String START = TestConfigs.version(1).job(11, "acme").json();

    @Property(tries = 1000)
    void everyStringReadsBackAsItWasWritten(@ForAll("strings") String value) throws IOException {
        byte[] written = write(value);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        SERIALIZER.copy(new DataInputDeserializer(written), copied);

        assertThat(SERIALIZER.deserialize(new DataInputDeserializer(written))).isEqualTo(value);
        assertThat(SERIALIZER.deserialize("reuse", new DataInputDeserializer(written)))
                .isEqualTo(value);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(written);
    }

    /** Mostly ASCII, as stored configs are; sometimes any character, lone surrogates included. */
    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().ascii().ofMaxLength(300)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(300)),
                Tuple.of(1, Arbitraries.just((String) null)));
    }

    @Test
    void anAsciiStringIsItsLengthAndItsBytes() throws IOException {
        assertThat(write("zstd+base64:AAE=")).hasSize(4 + 16);
    }

    @Test
    void bytesThatAreNoStoredStringAreRefused() {
        assertThatThrownBy(
                        () ->
                                SERIALIZER.deserialize(
                                        new DataInputDeserializer(new byte[] {-1, -1, -1, -7})))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("length -7");
    }

    @Test
    void itsSnapshotRestoresItAndTakesOverFromFlinksStringSerializer() throws IOException {
        TypeSerializerSnapshot<String> snapshot = SERIALIZER.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(16);
        snapshot.writeSnapshot(out);
        StoredConfigSerializer.Snapshot read = new StoredConfigSerializer.Snapshot();
        read.readSnapshot(
                snapshot.getCurrentVersion(),
                new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());

        assertThat(read.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(snapshot.resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
        assertThat(
                        snapshot.resolveSchemaCompatibility(
                                        StringSerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAfterMigration())
                .isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSchemaCompatibility<String> fromLongs =
                snapshot.resolveSchemaCompatibility(
                        (TypeSerializerSnapshot) LongSerializer.INSTANCE.snapshotConfiguration());
        assertThat(fromLongs.isIncompatible()).isTrue();
    }

    /** A router restored from a state its earlier builds wrote routes by the config it holds. */
    @Test
    void aConfigStateWrittenWithFlinksStringsRestoresAndIsWrittenAnew() throws Exception {
        String stored = storedConfigWithJob21();
        OperatorSubtaskState written;
        try (var old =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new PutsStoredConfig(stored), STRING_WRITTEN)) {
            old.processBroadcastElement(stored, 0);
            written = old.snapshot(1, 1);
        }

        OperatorSubtaskState rewritten;
        try (var restored = router()) {
            restored.initializeState(written);
            restored.open();
            restored.processElement(encoded("initech", T0_MICROS, 200), 0);

            assertThat(restored.extractOutputValues())
                    .extracting(r -> r.jobId)
                    .containsExactly(21L);
            assertThat(
                            restored.getBroadcastState(ConfigHolder.CONFIG_STATE)
                                    .get(ConfigHolder.SNAPSHOT_KEY))
                    .isEqualTo(stored);
            rewritten = restored.snapshot(2, 2);
        }
        try (var again = router()) {
            again.initializeState(rewritten);
            again.open();
            again.processElement(encoded("initech", T0_MICROS, 200), 0);

            assertThat(again.extractOutputValues()).extracting(r -> r.jobId).containsExactly(21L);
        }
    }

    private static String storedConfigWithJob21() throws Exception {
        try (var h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new RouteFunction(new ConfigHolder(StartConfig.inline(START))),
                        ConfigHolder.CONFIG_STATE)) {
            h.processBroadcastElement(
                    RouteUpdate.config(
                            TestConfigs.version(2).job(11, "acme").job(21, "initech").json()),
                    0);
            return h.getBroadcastState(ConfigHolder.CONFIG_STATE).get(ConfigHolder.SNAPSHOT_KEY);
        }
    }

    private static BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> router()
            throws Exception {
        return new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(
                        new RouteFunction(new ConfigHolder(StartConfig.inline(START))),
                        List.of(ConfigHolder.CONFIG_STATE)),
                1,
                1,
                0);
    }

    private static byte[] write(String value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    /** Stands in for an earlier build: keeps a stored config under Flink's string serializer. */
    private static final class PutsStoredConfig
            extends BroadcastProcessFunction<String, String, String> {
        private final String stored;

        PutsStoredConfig(String stored) {
            this.stored = stored;
        }

        @Override
        public void processElement(String value, ReadOnlyContext ctx, Collector<String> out) {}

        @Override
        public void processBroadcastElement(String value, Context ctx, Collector<String> out)
                throws Exception {
            ctx.getBroadcastState(STRING_WRITTEN).put(ConfigHolder.SNAPSHOT_KEY, stored);
        }
    }
}
