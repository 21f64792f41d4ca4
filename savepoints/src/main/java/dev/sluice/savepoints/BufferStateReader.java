package dev.sluice.savepoints;

import dev.sluice.buffer.BufferOperator;
import dev.sluice.buffer.PendingBlocks;
import dev.sluice.schemas.state.BufferMeta;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * Reads each job's buffer from the keyed state of the buffer operator, by its own descriptors.
 * States a savepoint's build did not have read as empty: {@code chunks} before chunks existed,
 * {@code pending-blocks} before pending records were kept in blocks (raw in {@code lines}).
 */
final class BufferStateReader extends KeyedStateReaderFunction<Long, JobBuffer> {

    private static final long serialVersionUID = 1L;

    private transient ListState<byte[]> pending;
    private transient ListState<byte[]> lines;
    private transient MapState<Integer, byte[]> chunks;
    private transient ValueState<BufferMeta> meta;

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getListState(BufferOperator.PENDING);
        lines = getRuntimeContext().getListState(BufferOperator.LINES);
        chunks = getRuntimeContext().getMapState(BufferOperator.CHUNKS);
        meta = getRuntimeContext().getState(BufferOperator.META);
    }

    @Override
    public void readKey(Long jobId, Context ctx, Collector<JobBuffer> out) throws Exception {
        long records = 0;
        long bytes = 0;
        for (byte[] line : orEmpty(lines.get())) {
            records++;
            bytes += line.length;
        }
        for (byte[] block : orEmpty(pending.get())) {
            for (byte[] line : PendingBlocks.decode(block)) {
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

    /** An empty list state reads as null on some backends. */
    private static Iterable<byte[]> orEmpty(Iterable<byte[]> list) {
        return list != null ? list : List.of();
    }
}
