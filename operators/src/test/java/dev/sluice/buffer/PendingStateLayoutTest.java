package dev.sluice.buffer;

import dev.sluice.buffer.BufferHarness.Delivered;
import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchChunk;
import dev.sluice.testing.Gzip;
import dev.sluice.testing.TestConfigs;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How keyed state holds a batch's pending records: one zstd block per barrier in {@code
 * pending-blocks}; records an earlier build left raw in {@code lines} are read first, and move to a
 * block at the next barrier.
 */
class PendingStateLayoutTest {

    private static final long JOB = 7;
    private static final String CONFIG = TestConfigs.version(1).job(JOB, "acme").json();

    @Test
    void eachBarrierWritesTheRecordsSinceTheLastAsOneBlock() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, 0, 5);
            BufferHarness.checkpoint(h, 1L);
            send(h, 5, 8);
            BufferHarness.checkpoint(h, 2L);
            // Nothing new: no block.
            BufferHarness.checkpoint(h, 3L);

            List<byte[]> blocks = read(h, BufferOperator.PENDING);
            assertThat(blocks).hasSize(2);
            assertThat(text(PendingBlocks.decode(blocks.get(0)))).isEqualTo(lines(0, 5));
            assertThat(text(PendingBlocks.decode(blocks.get(1)))).isEqualTo(lines(5, 8));
            assertThat(read(h, BufferOperator.LINES)).isEmpty();
        }
    }

    /**
     * A savepoint of an earlier build holds the pending records raw in {@code lines}; here also
     * blocks written after them. The restored batch holds both, oldest first; the next barrier
     * rewrites them as one block and clears {@code lines}.
     */
    @Test
    void rawRecordsOfTheEarlierLayoutComeFirstAndMoveToABlock() throws Exception {
        OperatorSubtaskState legacy;
        try (var h = harness()) {
            h.open();
            send(h, 0, 3);
            BufferHarness.checkpoint(h, 1L);
            send(h, 3, 6);
            BufferHarness.checkpoint(h, 2L);
            // Rewrite the first block as an earlier build would have held its records.
            List<byte[]> blocks = read(h, BufferOperator.PENDING);
            ListState<byte[]> lines = state(h, BufferOperator.LINES);
            lines.addAll(PendingBlocks.decode(blocks.get(0)));
            ListState<byte[]> pending = state(h, BufferOperator.PENDING);
            pending.update(List.of(blocks.get(1)));
            legacy = h.snapshot(3L, 3L);
        }
        try (var restored = harness()) {
            restored.initializeState(legacy);
            restored.open();
            send(restored, 6, 7);
            BufferHarness.checkpoint(restored, 4L);

            assertThat(read(restored, BufferOperator.LINES)).isEmpty();
            assertThat(read(restored, BufferOperator.PENDING))
                    .singleElement()
                    .satisfies(
                            b -> assertThat(text(PendingBlocks.decode(b))).isEqualTo(lines(0, 7)));

            restored.processWatermark1(new Watermark(Long.MAX_VALUE));
            restored.processWatermark2(new Watermark(Long.MAX_VALUE));
            List<Delivered> delivered = BufferHarness.batches(restored.extractOutputValues());
            assertThat(delivered).singleElement();
            assertThat(Gzip.lines(delivered.get(0).object())).isEqualTo(lines(0, 7));
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk>
            harness() throws Exception {
        return BufferHarness.of(CONFIG, BufferSettings.defaults());
    }

    private static void send(
            KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> h,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            h.processElement1(
                    new RoutedRecord(
                            JOB, T0_MICROS + i, (line(i) + "\n").getBytes(StandardCharsets.UTF_8)),
                    0);
        }
    }

    private static String line(int i) {
        return "{\"n\":" + i + "}";
    }

    private static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(PendingStateLayoutTest::line).toList();
    }

    private static List<String> text(List<byte[]> records) {
        return records.stream().map(r -> new String(r, StandardCharsets.UTF_8).strip()).toList();
    }

    private static ListState<byte[]> state(
            KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> h,
            ListStateDescriptor<byte[]> descriptor)
            throws Exception {
        KeyedStateBackend<Long> backend = ((BufferOperator) h.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(JOB);
        return backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    }

    private static List<byte[]> read(
            KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> h,
            ListStateDescriptor<byte[]> descriptor)
            throws Exception {
        List<byte[]> values = new ArrayList<>();
        Iterable<byte[]> stored = state(h, descriptor).get();
        if (stored != null) {
            stored.forEach(values::add);
        }
        return values;
    }
}
