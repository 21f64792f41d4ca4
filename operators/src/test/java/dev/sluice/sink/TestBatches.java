package dev.sluice.sink;

import dev.sluice.config.Destination;

import org.apache.flink.api.connector.sink2.SinkWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Batches as the buffer emits them, for the sink's tests: one record per chunk. */
public final class TestBatches {

    /** The first and last event of every test batch, in microseconds. */
    public static final long T = 1_731_579_300_000_000L;

    private TestBatches() {}

    /** The key of batch {@code seq} of {@code job} in {@code destination}. */
    public static String key(String destination, long job, long seq) {
        return ObjectKeys.keyFor(Destination.parse(destination), job, seq, T, T);
    }

    /** A batch with one chunk per {@code data}, one record each. */
    public static List<BatchChunk> batch(String destination, long job, long seq, byte[]... data) {
        String key = key(destination, job, seq);
        List<BatchChunk> out = new ArrayList<>(data.length);
        for (int i = 0; i < data.length; i++) {
            out.add(
                    BatchChunk.of(
                            job, seq, destination, key, i, data.length, data[i], data.length));
        }
        return out;
    }

    /** A batch of {@code chunks} chunks, chunk {@code i} being the line {@code "line i"}. */
    public static List<BatchChunk> lines(String destination, long job, long seq, int chunks) {
        byte[][] data = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            data[i] = ("line " + i + "\n").getBytes(StandardCharsets.UTF_8);
        }
        return batch(destination, job, seq, data);
    }

    /** Writes every chunk of a batch, as the chained buffer does in one call. */
    public static void write(SinkWriter<BatchChunk> writer, List<BatchChunk> chunks)
            throws Exception {
        for (BatchChunk c : chunks) {
            writer.write(c, null);
        }
    }
}
