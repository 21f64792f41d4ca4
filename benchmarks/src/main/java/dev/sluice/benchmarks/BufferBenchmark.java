package dev.sluice.benchmarks;

import dev.sluice.buffer.BufferOperator;
import dev.sluice.buffer.BufferSettings;
import dev.sluice.config.ConfigHolder;
import dev.sluice.config.StartConfig;
import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchChunk;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The buffer operator's per-record path on one subtask: {@code processElement1} of {@link
 * BufferOperator} with default {@link BufferSettings} (1 MiB chunks, gzip level 1 unless {@code
 * gzipLevel} says otherwise, 256 MiB held), 1,000 configured jobs with default limits, and
 * realistic NDJSON lines spread over the jobs with a skew. What an operation includes: the
 * keyed-state append, the bookkeeping update, and, as they fall due, chunk compression and batch
 * emission (by size, or early by the subtask's caps).
 *
 * <p>The score is records per second; the {@code inputMB} counter is the same in megabytes (10^6
 * bytes) of lines per second. The setup first feeds records until the byte cap has delivered a
 * batch early, so what is measured is the steady state of a full buffer, not an empty one filling.
 *
 * <p>Not included: the network on either side (the harness queues output instead; it copies each
 * chunk, roughly what serializing it would cost), checkpoints, and interval flushes (processing
 * time stands still, so batches close on size or caps only).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// The heap backend holds up to the 256 MiB cap of lines on the heap; 4g is bin/sluice's default.
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class BufferBenchmark {

    static final int JOBS = 1_000;

    /** Records per benchmark call; the output queue is drained once per call. */
    static final int RECORDS_PER_CALL = 10_000;

    private static final long MAX_FILL_RECORDS = 10_000_000;

    /**
     * RocksDB's memory (block cache and write buffers). The harness gives a backend only 3 MiB of
     * managed memory, which would starve RocksDB far below any real TaskManager slot; a fixed
     * budget of a modest slot's size keeps the figure about the state access, not about the cache.
     */
    private static final MemorySize ROCKSDB_MEMORY = MemorySize.parse("256mb");

    /** The buffer's memory budget of the figures in docs/BENCHMARKS.md. */
    private static final long MEMORY_BYTES = 64L * 1024 * 1024;

    @Param({"heap", "rocksdb"})
    public String backend;

    /** The buffer's gzip level; only the default runs unless asked, e.g. {@code -p gzipLevel=3}. */
    @Param({"1"})
    public int gzipLevel;

    private KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> harness;
    private RecordPool pool;

    private final Map<String, Long> batchesByReason = new TreeMap<>();
    private long chunksOut;
    private long recordsOut;
    private long uncompressedOut;
    private long compressedOut;

    /** Rate JMH reports next to the score: megabytes of lines buffered per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public double inputMB;

        @Setup(Level.Iteration)
        public void reset() {
            inputMB = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pool = new RecordPool(JOBS, 42);

        harness = harness(JOBS, settings());
        harness.setStateBackend(stateBackend(backend, false));
        harness.open();

        long filled = fill();
        resetCounts();
        System.out.printf(
                Locale.ROOT,
                "%n%s, gzip %d: %d jobs, mean line %.1f bytes; %d records fed until the byte cap"
                        + " first delivered a batch early%n",
                backend,
                gzipLevel,
                JOBS,
                pool.meanLineBytes(),
                filled);
    }

    private BufferSettings settings() {
        // The budget docs/BENCHMARKS.md's figures were taken with (the default then); unset, it
        // would be this JVM's share of heap, the byte cap, and no chunk would be compressed early.
        return BufferSettings.defaults().withGzipLevel(gzipLevel).withMemoryBytes(MEMORY_BYTES);
    }

    /** One buffer subtask in Flink's test harness, configured with jobs 1 … {@code jobs}. */
    static KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> harness(
            int jobs, BufferSettings settings) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new BufferOperator(new ConfigHolder(StartConfig.inline(config(jobs))), settings),
                RoutedRecord::getJobId,
                // Config updates are broadcast; the operator picks keys itself.
                update -> 0L,
                Types.LONG,
                128,
                1,
                0);
    }

    /** The named state backend; RocksDB with {@link #ROCKSDB_MEMORY}, incremental if asked. */
    static StateBackend stateBackend(String name, boolean incremental) {
        switch (name) {
            case "heap":
                return new HashMapStateBackend();
            case "rocksdb":
                EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend(incremental);
                rocksDb.getMemoryConfiguration().setFixedMemoryPerSlot(ROCKSDB_MEMORY);
                return rocksDb;
            default:
                throw new IllegalArgumentException("backend must be heap or rocksdb: " + name);
        }
    }

    /** Feeds records until the buffer is as full as the caps let it be. */
    private long fill() throws Exception {
        for (long n = 1; n <= MAX_FILL_RECORDS; n++) {
            harness.processElement1(pool.next());
            if (n % RECORDS_PER_CALL == 0) {
                drainOutput();
                if (batchesByReason.containsKey("BYTES_CAP")) {
                    return n;
                }
            }
        }
        throw new IllegalStateException(
                "the byte cap never delivered a batch in " + MAX_FILL_RECORDS + " records");
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS_PER_CALL)
    public void processRecords(Bytes bytes) throws Exception {
        long in = 0;
        for (int i = 0; i < RECORDS_PER_CALL; i++) {
            StreamRecord<RoutedRecord> record = pool.next();
            in += record.getValue().line.length;
            harness.processElement1(record);
        }
        drainOutput();
        bytes.inputMB += in / 1e6;
    }

    /** Empties the harness's output queue, noting what the buffer delivered. */
    private void drainOutput() {
        Object element;
        while ((element = harness.getOutput().poll()) != null) {
            if (!(element instanceof StreamRecord)) {
                continue;
            }
            BatchChunk chunk = (BatchChunk) ((StreamRecord<?>) element).getValue();
            chunksOut++;
            compressedOut += chunk.data.length;
            if (chunk.last) {
                batchesByReason.merge(chunk.flushReason, 1L, Long::sum);
                recordsOut += chunk.records;
                uncompressedOut += chunk.uncompressedBytes;
            }
        }
    }

    private void resetCounts() {
        batchesByReason.clear();
        chunksOut = 0;
        recordsOut = 0;
        uncompressedOut = 0;
        compressedOut = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        long batches = batchesByReason.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
                Locale.ROOT,
                "%n%s after the fill: %d batches %s, %d chunks, %.0f records and %.2f chunks per"
                        + " batch, ratio %.4f (out/in)%n",
                backend,
                batches,
                batchesByReason,
                chunksOut,
                (double) recordsOut / batches,
                (double) chunksOut / batches,
                (double) compressedOut / uncompressedOut);
        harness.close();
    }

    /** A config snapshot with jobs 1 … n, each enabled with the default limits and gzip. */
    static String config(int n) {
        List<String> entries = new ArrayList<>(n);
        for (int id = 1; id <= n; id++) {
            String customer = String.format(Locale.ROOT, "c%04d", id);
            entries.add(
                    String.format(
                            Locale.ROOT,
                            "{\"id\":%d,\"customer_id\":\"%s\",\"dataset\":\"http_requests\","
                                    + "\"enabled\":true,"
                                    + "\"destination_conf\":\"s3://sluice-logs/%s/{DATE}"
                                    + "?region=us-east-1\","
                                    + "\"output_options\":{\"field_names\":[\"timestamp\","
                                    + "\"ClientIP\",\"ClientRequestHost\",\"ClientRequestPath\","
                                    + "\"EdgeResponseStatus\",\"UserAgent\"]}}",
                            id,
                            customer,
                            customer));
        }
        return "{\"version\":1,\"jobs\":[" + String.join(",", entries) + "]}";
    }
}
