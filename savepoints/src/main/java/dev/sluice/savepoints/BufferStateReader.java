package dev.sluice.savepoints;

import dev.sluice.buffer.BufferFunction;
import dev.sluice.schemas.state.BufferMeta;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/** Reads each job's buffer from the keyed state of the buffer operator, by its own descriptors. */
final class BufferStateReader extends KeyedStateReaderFunction<Long, JobBuffer> {

    private static final long serialVersionUID = 1L;

    private transient ListState<byte[]> lines;
    private transient ValueState<BufferMeta> meta;

    @Override
    public void open(OpenContext openContext) {
        lines = getRuntimeContext().getListState(BufferFunction.LINES);
        meta = getRuntimeContext().getState(BufferFunction.META);
    }

    @Override
    public void readKey(Long jobId, Context ctx, Collector<JobBuffer> out) throws Exception {
        long records = 0;
        long bytes = 0;
        Iterable<byte[]> buffered = lines.get();
        // An empty list state reads as null on some backends.
        if (buffered != null) {
            for (byte[] line : buffered) {
                records++;
                bytes += line.length;
            }
        }
        out.collect(JobBuffer.of(jobId, records, bytes, meta.value()));
    }
}
