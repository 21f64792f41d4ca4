package dev.sluice.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;

/**
 * The TaskManager the Kubernetes manifest runs ({@code deploy/kubernetes/sluice.yaml}: 4096m, 2
 * slots), whose managed memory the bench's MiniCluster gives RocksDB. A MiniCluster otherwise takes
 * 128 MiB, a tenth of this, and RocksDB's write buffers then overflow at a checkpoint barrier that
 * writes the open batches' pending records: flushes and compactions a cluster does not see.
 */
public final class ClusterTaskManager {

    /** The manifest's {@code taskManager.resource.memory}: the whole process. */
    public static final MemorySize PROCESS_MEMORY = MemorySize.parse("4096m");

    /** The manifest's {@code taskmanager.numberOfTaskSlots}. */
    public static final int SLOTS = 2;

    private ClusterTaskManager() {}

    /** Managed memory (RocksDB's, shared by the slots) by Flink's memory model for the process. */
    public static MemorySize managedMemory() {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, PROCESS_MEMORY);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, SLOTS);
        return TaskExecutorProcessUtils.processSpecFromConfig(conf).getManagedMemorySize();
    }
}
