package dev.sluice.bench;

import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.EmbeddedKafka;
import dev.sluice.local.EmbeddedS3;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every contender shares: the Kafka broker and the S3 server on 127.0.0.1 (in this JVM, the
 * server's objects where {@link S3Storage} puts them), a working directory, and the Flink settings
 * all Flink contenders run with (parallelism 2, exactly-once checkpoints, the bench's state
 * backend).
 */
final class BenchServers implements AutoCloseable {

    static final String ACCESS_KEY = "sluice";
    static final String SECRET_KEY = "sluice-bench-secret";
    static final int PARALLELISM = 2;

    final EmbeddedKafka kafka;
    final EmbeddedS3 s3;
    final S3Storage s3Storage;
    final S3Client s3Client;
    final Path dir;
    private final Duration checkpointInterval;
    private final String stateBackend;

    private BenchServers(
            EmbeddedKafka kafka,
            EmbeddedS3 s3,
            S3Storage s3Storage,
            Path dir,
            Duration interval,
            String stateBackend) {
        this.kafka = kafka;
        this.s3 = s3;
        this.s3Storage = s3Storage;
        this.s3Client = s3.newClient();
        this.dir = dir;
        this.checkpointInterval = interval;
        this.stateBackend = stateBackend;
    }

    /**
     * Starts Kafka and the S3 server, its objects on {@code s3Medium} (memory falls back to disk
     * where the machine has none); the contenders' jobs checkpoint every {@code checkpointInterval}
     * on {@code stateBackend} ({@code rocksdb}: incrementally).
     */
    static BenchServers start(
            Path dir, Duration checkpointInterval, String stateBackend, S3Storage.Medium s3Medium) {
        EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"));
        S3Storage storage = S3Storage.choose(s3Medium, dir);
        try {
            EmbeddedS3 s3 = EmbeddedS3.start(0, storage.dir(), ACCESS_KEY, SECRET_KEY);
            return new BenchServers(kafka, s3, storage, dir, checkpointInterval, stateBackend);
        } catch (RuntimeException e) {
            try {
                storage.close();
            } catch (RuntimeException notDeleted) {
                e.addSuppressed(notDeleted);
            }
            kafka.close();
            throw e;
        }
    }

    Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** The Flink settings of a contender's run named {@code run}, Kafka address included. */
    Configuration flinkConf(String run) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, PARALLELISM);
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, "rocksdb".equals(stateBackend));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        // RocksDB's memory as a cluster's TaskManager has it, not a MiniCluster's default.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, ClusterTaskManager.managedMemory());
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").resolve(run).toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(SluiceOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(SluiceOptions.GROUP_ID, run);
        return conf;
    }

    /**
     * Deletes a run's objects once they are counted, so every run starts with the server and the
     * disk as the first one found them: a contender's later runs would otherwise write beside all
     * that its earlier runs left, several hundred megabytes each.
     */
    void removeObjects(String bucket, String folder) {
        s3.removeObjects(bucket, folder);
    }

    /** Objects in a bucket and their stored bytes. */
    long[] objectsIn(String bucket) {
        long[] countAndBytes = new long[2];
        for (S3Object o : s3Client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            countAndBytes[0]++;
            countAndBytes[1] += o.size();
        }
        return countAndBytes;
    }

    @Override
    public void close() {
        try {
            s3Client.close();
            s3.close();
        } finally {
            try {
                s3Storage.close();
            } finally {
                kafka.close();
            }
        }
    }
}
