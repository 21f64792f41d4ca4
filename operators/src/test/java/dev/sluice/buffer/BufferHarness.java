package dev.sluice.buffer;

import dev.sluice.config.ConfigHolder;
import dev.sluice.config.StartConfig;
import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchChunk;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A buffer operator in a test harness, and its output put back together batch by batch. */
final class BufferHarness {

    private BufferHarness() {}

    static KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> of(
            String config, BufferSettings settings) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new BufferOperator(
                        new ConfigHolder(config == null ? null : StartConfig.inline(config)),
                        settings),
                RoutedRecord::getJobId,
                // Config updates are broadcast, not keyed; the operator picks keys itself.
                update -> 0L,
                Types.LONG,
                128,
                1,
                0);
    }

    /**
     * Takes a checkpoint as a task does: the operator's pre-barrier step, then the snapshot. The
     * harness's {@code snapshot} alone skips the first, where the buffer writes what it keeps in
     * memory to keyed state.
     */
    static OperatorSubtaskState checkpoint(
            KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> harness,
            long checkpointId)
            throws Exception {
        harness.prepareSnapshotPreBarrier(checkpointId);
        return harness.snapshot(checkpointId, checkpointId);
    }

    /** One emitted batch: its chunks concatenated, as the sink uploads them. */
    record Delivered(BatchChunk header, byte[] object, int chunks) {}

    /** Puts chunks back into batches, checking that each batch's chunks came whole and in order. */
    static List<Delivered> batches(List<BatchChunk> chunks) {
        List<Delivered> batches = new ArrayList<>();
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        int expected = 0;
        for (BatchChunk chunk : chunks) {
            if (chunk.index != expected) {
                throw new AssertionError(
                        "chunk " + chunk.index + " of " + chunk.key + ", expected " + expected);
            }
            object.writeBytes(chunk.data);
            expected++;
            if (chunk.last) {
                batches.add(new Delivered(chunk, object.toByteArray(), expected));
                object.reset();
                expected = 0;
            }
        }
        if (expected != 0) {
            throw new AssertionError("a batch ended without its last chunk");
        }
        return batches;
    }
}
