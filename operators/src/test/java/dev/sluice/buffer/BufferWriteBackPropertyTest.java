package dev.sluice.buffer;

import dev.sluice.buffer.BufferHarness.Delivered;
import dev.sluice.route.RoutedRecord;
import dev.sluice.sink.BatchChunk;
import dev.sluice.testing.Gzip;
import dev.sluice.testing.TestConfigs;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.sluice.testing.TestEvents.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer works on open batches in memory and brings keyed state up to date only at barriers,
 * when a chunk is compressed and when a batch closes. Whatever the sequence of records,
 * checkpoints, failures (a restore from the last checkpoint and a replay of what followed it),
 * intervals, caps and memory budget, on heap or RocksDB state, every job's records are delivered
 * exactly once and in order, in batches whose keys never repeat.
 */
class BufferWriteBackPropertyTest {

    private static final int JOBS = 12;
    private static final long INTERVAL_MILLIS = 30_000;

    private static final String CONFIG = config();

    /** One step of a run. */
    sealed interface Step permits Append, Checkpoint, Fail, Interval {}

    record Append(long job, int padding) implements Step {}

    record Checkpoint() implements Step {}

    /** The task fails: its state goes back to the last checkpoint and its input replays. */
    record Fail() implements Step {}

    /** Processing time passes every open batch's interval. */
    record Interval() implements Step {}

    @Property(tries = 100)
    void heapStateDeliversEveryRecordOnceInOrder(
            @ForAll("runs") List<Step> steps,
            @ForAll("budgets") long memoryBytes,
            @ForAll("activeCaps") int maxActiveJobs)
            throws Exception {
        assertExactlyOnceInOrder(new Run(memoryBytes, maxActiveJobs, false).play(steps), steps);
    }

    @Property(tries = 12)
    void rocksDbStateDeliversEveryRecordOnceInOrder(
            @ForAll("runs") List<Step> steps,
            @ForAll("budgets") long memoryBytes,
            @ForAll("activeCaps") int maxActiveJobs)
            throws Exception {
        assertExactlyOnceInOrder(new Run(memoryBytes, maxActiveJobs, true).play(steps), steps);
    }

    @Provide
    Arbitrary<Long> budgets() {
        // From the smallest allowed (one chunk) to never reached: small budgets spill the small
        // pending sets and compress the larger ones early.
        return Arbitraries.of(256L * 1024, 320L * 1024, 512L * 1024, 64L * 1024 * 1024);
    }

    @Provide
    Arbitrary<Integer> activeCaps() {
        // Below the jobs' count the cap delivers batches early; at it, memory fills instead.
        return Arbitraries.of(4, JOBS);
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Step> append =
                Combinators.combine(
                                Arbitraries.longs().between(1, JOBS),
                                Arbitraries.integers().between(0, 8_000))
                        .as(Append::new);
        Arbitrary<Step> step =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(94, append),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(new Checkpoint())),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(new Fail())),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(new Interval())));
        return step.list().ofMinSize(1).ofMaxSize(600);
    }

    private static void assertExactlyOnceInOrder(List<BatchChunk> committed, List<Step> steps) {
        Map<Long, List<String>> sent = new TreeMap<>();
        int n = 0;
        for (Step s : steps) {
            if (s instanceof Append a) {
                sent.computeIfAbsent(a.job(), j -> new ArrayList<>()).add(line(a, n).trim());
                n++;
            }
        }
        Map<Long, List<Delivered>> byJob = new TreeMap<>();
        for (Delivered d : BufferHarness.batches(committed)) {
            byJob.computeIfAbsent(d.header().jobId, j -> new ArrayList<>()).add(d);
        }
        Map<Long, List<String>> delivered = new TreeMap<>();
        byJob.forEach(
                (job, batches) -> {
                    batches.sort(Comparator.comparingLong(d -> d.header().seq));
                    List<Long> seqs = batches.stream().map(d -> d.header().seq).toList();
                    assertThat(seqs).as("job %d's batch sequence", job).doesNotHaveDuplicates();
                    List<String> lines = new ArrayList<>();
                    for (Delivered d : batches) {
                        List<String> inBatch = Gzip.lines(d.object());
                        assertThat(inBatch).hasSize((int) d.header().records);
                        lines.addAll(inBatch);
                    }
                    delivered.put(job, lines);
                });
        assertThat(delivered).isEqualTo(sent);
    }

    /** Record n of a run; the padding makes chunks fill and the caps and budget bite. */
    private static String line(Append a, int n) {
        return "{\"job\":"
                + a.job()
                + ",\"n\":"
                + n
                + ",\"pad\":\""
                + "x".repeat(a.padding())
                + "\"}\n";
    }

    /** A buffer subtask through a run, keeping the output that checkpoints committed. */
    private static final class Run {
        private final BufferSettings settings;
        private final boolean rocksDb;
        private final List<BatchChunk> committed = new ArrayList<>();
        private final List<RoutedRecord> sinceCheckpoint = new ArrayList<>();
        private KeyedTwoInputStreamOperatorTestHarness<Long, RoutedRecord, String, BatchChunk> h;
        private OperatorSubtaskState lastCheckpoint;
        private long checkpointId;
        private long now;

        Run(long memoryBytes, int maxActiveJobs, boolean rocksDb) {
            this.settings =
                    BufferSettings.defaults()
                            .withChunkBytes(256 * 1024)
                            .withMaxBytes(1024 * 1024)
                            .withMaxActiveJobs(maxActiveJobs)
                            .withMemoryBytes(memoryBytes);
            this.rocksDb = rocksDb;
        }

        List<BatchChunk> play(List<Step> steps) throws Exception {
            start(null);
            try {
                int n = 0;
                for (Step s : steps) {
                    if (s instanceof Append a) {
                        RoutedRecord r =
                                new RoutedRecord(
                                        a.job(),
                                        T0_MICROS + n,
                                        line(a, n).getBytes(StandardCharsets.UTF_8));
                        n++;
                        sinceCheckpoint.add(r);
                        h.processElement1(r, 0);
                    } else if (s instanceof Checkpoint) {
                        lastCheckpoint = BufferHarness.checkpoint(h, ++checkpointId);
                        committed.addAll(h.extractOutputValues());
                        h.getOutput().clear();
                        sinceCheckpoint.clear();
                    } else if (s instanceof Fail) {
                        h.close();
                        start(lastCheckpoint);
                        for (RoutedRecord r : sinceCheckpoint) {
                            h.processElement1(r, 0);
                        }
                    } else {
                        now += INTERVAL_MILLIS + 1;
                        h.setProcessingTime(now);
                    }
                }
                // The end of input closes every batch; the final checkpoint commits them.
                h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
                BufferHarness.checkpoint(h, ++checkpointId);
                committed.addAll(h.extractOutputValues());
                return committed;
            } finally {
                h.close();
            }
        }

        private void start(OperatorSubtaskState restoreFrom) throws Exception {
            h = BufferHarness.of(CONFIG, settings);
            if (rocksDb) {
                h.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            h.setProcessingTime(now);
            if (restoreFrom != null) {
                h.initializeState(restoreFrom);
            }
            h.open();
        }
    }

    private static String config() {
        TestConfigs config = TestConfigs.version(1);
        for (long job = 1; job <= JOBS; job++) {
            config.job(job, "c" + job);
        }
        return config.json();
    }
}
