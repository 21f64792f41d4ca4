package dev.sluice.savepoints;

import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;

/**
 * The state backend that restores an operator's keyed state for reading. Canonical savepoints and
 * full checkpoints are backend-neutral and the heap restores them fastest; RocksDB's own files
 * (native savepoints, incremental checkpoints) only RocksDB can open.
 */
enum ReaderBackend {
    HASHMAP("hashmap") {
        @Override
        StateBackend create() {
            return new HashMapStateBackend();
        }
    },
    ROCKSDB("rocksdb") {
        @Override
        StateBackend create() {
            return new EmbeddedRocksDBStateBackend();
        }
    };

    private final String label;

    ReaderBackend(String label) {
        this.label = label;
    }

    abstract StateBackend create();

    /** The name Flink's {@code state.backend.type} uses. */
    String label() {
        return label;
    }

    /** The backend that can restore {@code operator}'s keyed state. */
    static ReaderBackend forState(OperatorState operator) {
        for (OperatorSubtaskState subtask : operator.getStates()) {
            for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
                if (handle instanceof IncrementalKeyedStateHandle) {
                    return ROCKSDB;
                }
            }
        }
        return HASHMAP;
    }
}
