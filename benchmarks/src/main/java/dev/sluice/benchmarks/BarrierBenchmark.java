package dev.sluice.benchmarks;

import dev.sluice.buffer.BufferSettings;
import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchChunk;

import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.FileUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The buffer operator with checkpoints: {@link #RECORDS_PER_BARRIER} records, then a checkpoint as
 * a task takes one ({@code prepareSnapshotPreBarrier}, where the buffer writes what memory holds to
 * keyed state, the snapshot with its asynchronous part, the completion), over 2,000 jobs with
 * default settings (RocksDB incremental, as a cluster runs it; heap for comparison). The score is
 * records per second, checkpoints included.
 *
 * <p>A barrier finds most jobs' records pending (a quiet job fills a 1 MiB chunk over many
 * barriers), so what it writes is about all the records since the last one: here 100,000, about 30
 * MB of lines, a subtask's ten seconds at 10,000 records/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
public class BarrierBenchmark {

    static final int JOBS = 2_000;

    static final int RECORDS_PER_BARRIER = 100_000;

    @Param({"rocksdb", "heap"})
    public String backend;

    private KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> harness;
    private RecordPool pool;
    private Path checkpoints;
    private long checkpointId;
    private long delivered;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pool = new RecordPool(JOBS, 42);
        checkpoints = Files.createTempDirectory("sluice-barrier-bench");
        harness = BufferBenchmark.harness(JOBS, BufferSettings.defaults());
        harness.setStateBackend(BufferBenchmark.stateBackend(backend, true));
        // Files, as a cluster's checkpoints; the harness's default keeps them in memory, capped.
        harness.setCheckpointStorage(new FileSystemCheckpointStorage(checkpoints.toUri()));
        harness.open();
        System.out.printf(
                Locale.ROOT,
                "%n%s: %d jobs, mean line %.1f bytes, a checkpoint every %d records%n",
                backend,
                JOBS,
                pool.meanLineBytes(),
                RECORDS_PER_BARRIER);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS_PER_BARRIER)
    public void recordsThenACheckpoint() throws Exception {
        for (int i = 0; i < RECORDS_PER_BARRIER; i++) {
            harness.processElement1(pool.next());
        }
        long id = ++checkpointId;
        harness.prepareSnapshotPreBarrier(id);
        harness.snapshot(id, id);
        harness.notifyOfCompletedCheckpoint(id);
        delivered += harness.getOutput().size();
        harness.getOutput().clear();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%n%s: %d checkpoints, %d chunks delivered%n",
                backend,
                checkpointId,
                delivered);
        harness.close();
        FileUtils.deleteDirectory(checkpoints.toFile());
    }
}
