package dev.sluice.tests;

import dev.sluice.buffer.ChunkCompressor;
import dev.sluice.config.Compression;
import dev.sluice.config.Destination;
import dev.sluice.config.OutputOptions;
import dev.sluice.encode.BatchFraming;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.ObjectSink;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.store.CommitOutcome;
import dev.sluice.sink.store.ObjectStores;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one large batch through the object sink's writer and commits it, measuring the heap on the
 * way; run by {@link LargeBatchITCase} in a JVM of its own with a heap smaller than the batch, so
 * that finishing at all proves the writer never holds the batch.
 *
 * <p>Arguments: {@code <destination_conf> <total uncompressed bytes> <job id> <seq>}. The batch is
 * NDJSON lines of exactly {@link #LINE_BYTES} bytes, mostly random characters, so it compresses
 * poorly and the object stays large too; it is generated, framed and compressed one 1 MiB chunk at
 * a time as the buffer would, and no chunk is kept here once written. Prints {@code RESULT
 * name=value} lines for the parent to parse.
 */
public final class LargeBatchWriterMain {

    static final int LINE_BYTES = 512;
    static final int CHUNK_BYTES = 1024 * 1024;
    static final int LINES_PER_CHUNK = CHUNK_BYTES / LINE_BYTES;
    static final long FIRST_MICROS = 1_731_579_300_000_000L;

    /** Printable ASCII that a JSON string takes unescaped: all but the quote and the backslash. */
    private static final byte[] PAYLOAD_CHARS = payloadChars();

    private static final long SEED = 20_241_114L;

    private LargeBatchWriterMain() {}

    public static void main(String[] args) throws Exception {
        String conf = args[0];
        long totalBytes = Long.parseLong(args[1]);
        long jobId = Long.parseLong(args[2]);
        long seq = Long.parseLong(args[3]);
        if (totalBytes % CHUNK_BYTES != 0) {
            throw new IllegalArgumentException(
                    "the size must be whole 1 MiB chunks: " + totalBytes);
        }
        int chunks = (int) (totalBytes / CHUNK_BYTES);
        long records = (long) chunks * LINES_PER_CHUNK;
        long lastMicros = FIRST_MICROS + records - 1;
        Destination destination = Destination.parse(conf);
        String key = ObjectKeys.keyFor(destination, jobId, seq, FIRST_MICROS, lastMicros);

        HeapWatch heap = HeapWatch.start();
        long started = System.nanoTime();

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        ChunkCompressor compressor = new ChunkCompressor(3, 3);
        BatchFraming framing = BatchFraming.forOptions(OutputOptions.defaults());
        if (!framing.isEmpty()) {
            // The parent compares the object with the digest of the bare lines.
            throw new IllegalStateException("NDJSON is expected to need no framing");
        }
        SplittableRandom random = new SplittableRandom(SEED);
        CommittingSinkWriter<BatchChunk, ObjectCommittable> writer =
                new ObjectSink(SinkSettings.none())
                        .writer(UnregisteredMetricsGroup.createSinkWriterMetricGroup());
        long line = 0;
        long compressedBytes = 0;
        long compressNanos = 0;
        for (int index = 0; index < chunks; index++) {
            List<byte[]> lines = new ArrayList<>(LINES_PER_CHUNK);
            for (int i = 0; i < LINES_PER_CHUNK; i++, line++) {
                byte[] record = line(line, random);
                sha256.update(record);
                lines.add(record);
            }
            long t = System.nanoTime();
            byte[] data =
                    compressor.compress(
                            Compression.GZIP, framing, lines, index == 0, index == chunks - 1);
            compressNanos += System.nanoTime() - t;
            compressedBytes += data.length;
            writer.write(
                    chunk(jobId, seq, conf, key, index, chunks, data, records, totalBytes), null);
        }
        long written = System.nanoTime();
        writer.flush(true);
        Collection<ObjectCommittable> committables = writer.prepareCommit();
        if (committables.size() != 1) {
            throw new IllegalStateException("expected one committable: " + committables);
        }
        ObjectCommittable committable = committables.iterator().next();
        CommitOutcome outcome;
        try (ObjectStores stores = new ObjectStores()) {
            outcome = stores.forDestination(destination).commit(destination, committable);
        }
        writer.close();
        long finished = System.nanoTime();
        heap.stop();

        result("key", key);
        result("records", records);
        result("uncompressedBytes", totalBytes);
        result("chunks", chunks);
        result("sha256", HexFormat.of().formatHex(sha256.digest()));
        result("objectBytes", committable.length());
        result("compressedBytesWritten", compressedBytes);
        result("objectSha256", committable.manifest().sha256());
        result("parts", committable.partETags().size());
        result("outcome", outcome);
        result("maxHeapBytes", Runtime.getRuntime().maxMemory());
        result("gc", heap.collectors());
        result("peakPoolSumBytes", heap.peakPoolSum());
        result("peakSampledUsedBytes", heap.peakSampled());
        result("peakAfterGcBytes", heap.peakAfterGc());
        result("baselineUsedBytes", heap.baseline());
        result("gcCount", heap.gcCount());
        result("gcMillis", heap.gcMillis());
        result("compressMillis", compressNanos / 1_000_000);
        result("writeMillis", (written - started) / 1_000_000);
        result("elapsedMillis", (finished - started) / 1_000_000);
    }

    /**
     * One NDJSON line of exactly {@link #LINE_BYTES} bytes; the payload is random printable ASCII
     * (6.5 bits of entropy a byte), so gzip gets it down to about four fifths and no further.
     */
    static byte[] line(long n, SplittableRandom random) {
        String head =
                String.format(
                        Locale.ROOT,
                        "{\"EdgeStartTimestamp\":%d,\"RecordId\":%d,\"RayID\":\"%016x\",\"Payload\":\"",
                        (FIRST_MICROS + n) * 1_000L,
                        n,
                        random.nextLong());
        byte[] line = new byte[LINE_BYTES];
        int pos = 0;
        for (byte b : head.getBytes(StandardCharsets.US_ASCII)) {
            line[pos++] = b;
        }
        int payloadEnd = LINE_BYTES - 3;
        while (pos < payloadEnd) {
            line[pos++] = PAYLOAD_CHARS[random.nextInt(PAYLOAD_CHARS.length)];
        }
        line[pos++] = '"';
        line[pos++] = '}';
        line[pos] = '\n';
        return line;
    }

    private static byte[] payloadChars() {
        byte[] chars = new byte[0x7f - 0x20 - 2];
        int n = 0;
        for (int c = 0x20; c < 0x7f; c++) {
            if (c != '"' && c != '\\') {
                chars[n++] = (byte) c;
            }
        }
        return chars;
    }

    private static BatchChunk chunk(
            long jobId,
            long seq,
            String conf,
            String key,
            int index,
            int chunks,
            byte[] data,
            long records,
            long totalBytes) {
        BatchChunk c = BatchChunk.of(jobId, seq, conf, key, index, chunks, data, records);
        c.uncompressedBytes = totalBytes;
        c.firstMicros = FIRST_MICROS;
        c.lastMicros = FIRST_MICROS + records - 1;
        c.flushReason = "BYTES";
        return c;
    }

    private static void result(String name, Object value) {
        System.out.println("RESULT " + name + "=" + value);
    }

    /**
     * Three views of the heap, as none is exact on its own: the sum of the pools' peaks overstates
     * (the pools peak at different moments), the sampled used heap includes garbage not yet
     * collected, and occupancy right after each collection is closest to what is live but a young
     * collection leaves old garbage in place.
     */
    private static final class HeapWatch {

        private final List<MemoryPoolMXBean> pools = new ArrayList<>();
        private final AtomicLong peakSampled = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private final long baseline;
        private final long gcCountBefore;
        private final long gcMillisBefore;
        private volatile boolean running = true;
        private Thread sampler;

        private HeapWatch(long baseline) {
            this.baseline = baseline;
            this.gcCountBefore = gcCountNow();
            this.gcMillisBefore = gcMillisNow();
        }

        static HeapWatch start() {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            HeapWatch watch = new HeapWatch(rt.totalMemory() - rt.freeMemory());
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                    watch.pools.add(pool);
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc)
                        .addNotificationListener(
                                (notification, handback) -> {
                                    if (GarbageCollectionNotificationInfo
                                            .GARBAGE_COLLECTION_NOTIFICATION
                                            .equals(notification.getType())) {
                                        watch.afterGc(
                                                GarbageCollectionNotificationInfo.from(
                                                        (CompositeData)
                                                                notification.getUserData()));
                                    }
                                },
                                null,
                                null);
            }
            watch.sampler =
                    new Thread(
                            () -> {
                                while (watch.running) {
                                    watch.peakSampled.accumulateAndGet(
                                            rt.totalMemory() - rt.freeMemory(), Math::max);
                                    try {
                                        Thread.sleep(10);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "heap-sampler");
            watch.sampler.setDaemon(true);
            watch.sampler.start();
            return watch;
        }

        private void afterGc(GarbageCollectionNotificationInfo info) {
            long used = 0;
            for (MemoryPoolMXBean pool : pools) {
                MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                if (after != null) {
                    used += after.getUsed();
                }
            }
            peakAfterGc.accumulateAndGet(used, Math::max);
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
        }

        long peakPoolSum() {
            long sum = 0;
            for (MemoryPoolMXBean pool : pools) {
                sum += pool.getPeakUsage().getUsed();
            }
            return sum;
        }

        long peakSampled() {
            return peakSampled.get();
        }

        long peakAfterGc() {
            return peakAfterGc.get();
        }

        long baseline() {
            return baseline;
        }

        long gcCount() {
            return gcCountNow() - gcCountBefore;
        }

        long gcMillis() {
            return gcMillisNow() - gcMillisBefore;
        }

        String collectors() {
            List<String> names = new ArrayList<>();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                names.add(gc.getName().replace(' ', '_'));
            }
            return String.join(",", names);
        }

        private static long gcCountNow() {
            long n = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                n += Math.max(0, gc.getCollectionCount());
            }
            return n;
        }

        private static long gcMillisNow() {
            long n = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                n += Math.max(0, gc.getCollectionTime());
            }
            return n;
        }
    }
}
