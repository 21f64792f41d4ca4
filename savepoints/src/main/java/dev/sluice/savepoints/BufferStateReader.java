package dev.sluice.savepoints;

import dev.sluice.buffer.BufferOperator;
import dev.sluice.schemas.state.BufferMeta;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/**
 * Reads each job's buffer from the keyed state of the buffer operator, by its own descriptors.
 * Savepoints written before chunks existed have no {@code chunks} state; it reads as empty.
 */
final class BufferStateReader extends KeyedStateReaderFunction<Long, JobBuffer> {

    private static final long serialVersionUID = 1L;

    private transient ListState<byte[]> lines;
    private transient MapState<Integer, byte[]> chunks;
    private transient ValueState<BufferMeta> meta;

    @Override
    public void open(OpenContext openContext) {
        lines = getRuntimeContext().getListState(BufferOperator.LINES);
        chunks = getRuntimeContext().getMapState(BufferOperator.CHUNKS);
        meta = getRuntimeContext().getState(BufferOperator.META);
    }

    @Override
    public void readKey(Long jobId, Context ctx, Collector<JobBuffer> out) throws Exception {
        long records = 0;
        long bytes = 0;
        Iterable<byte[]> pending = lines.get();
        // An empty list state reads as null on some backends.
        if (pending != null) {
            for (byte[] line : pending) {
                records++;
                bytes += line.length;
            }
        }
        long chunkCount = 0;
        long chunkBytes = 0;
        for (byte[] chunk : chunks.values()) {
            chunkCount++;
            chunkBytes += chunk.length;
        }
        out.collect(JobBuffer.of(jobId, records, bytes, chunkCount, chunkBytes, meta.value()));
    }
}
