package dev.sluice.route;

import dev.sluice.config.ConfigHolder;

import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.List;

/**
 * Runs {@link RouteFunction} and sends its ledger reports downstream just before each checkpoint
 * barrier and before the final watermark, so every report is in the buffers' state by the
 * checkpoint that covers the records it counts, and in the last batches of a drained job. Its
 * broadcast state holds the config and the writer schemas ({@link WriterSchemas#STATE}), which it
 * hands back to the function when it opens.
 */
public final class RouteOperator
        extends CoBroadcastWithNonKeyedOperator<byte[], RouteUpdate, RoutedRecord> {

    private static final long serialVersionUID = 1L;

    private final RouteFunction function;

    public RouteOperator(RouteFunction function) {
        super(function, List.of(ConfigHolder.CONFIG_STATE, WriterSchemas.STATE));
        this.function = function;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // After the function opened and before any record: schemas known before a restore stay so.
        function.restoreSchemas(
                getOperatorStateBackend().getBroadcastState(WriterSchemas.STATE).entries());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        // Runs before the state backends are snapshotted, so this checkpoint holds the config.
        function.storeConfig(
                getOperatorStateBackend().getBroadcastState(ConfigHolder.CONFIG_STATE));
        super.snapshotState(context);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        reportLedger();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Watermark.MAX_WATERMARK.getTimestamp()) {
            reportLedger();
        }
        super.processWatermark(mark);
    }

    @Override
    public void finish() throws Exception {
        reportLedger();
        super.finish();
    }

    private void reportLedger() {
        function.reportLedger(report -> output.collect(new StreamRecord<>(report)));
    }
}
