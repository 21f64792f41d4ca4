package dev.sluice.tests;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Passes logs through slowly enough that checkpoints complete mid-run, and, when armed, throws once
 * after a few checkpoints: the failover of the job under test. Static flags because the MiniCluster
 * runs in this JVM and the function is serialized.
 */
final class ThrottledFailOnceMap implements MapFunction<byte[], byte[]>, CheckpointListener {

    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    private static final int FAIL_AFTER_RECORDS = 3_000;
    private static final int FAIL_AFTER_CHECKPOINTS = 2;
    private static final int RECORDS_PER_PAUSE = 10;

    private long records;
    private long checkpoints;

    static void arm(boolean armed) {
        ARMED.set(armed);
        FAILED.set(false);
    }

    @Override
    public byte[] map(byte[] value) throws Exception {
        if (++records % RECORDS_PER_PAUSE == 0) {
            Thread.sleep(1);
        }
        if (ARMED.get()
                && records >= FAIL_AFTER_RECORDS
                && checkpoints >= FAIL_AFTER_CHECKPOINTS
                && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + records + " records");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpoints++;
    }
}
