package dev.sluice.tests;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A 200 MiB batch goes through the object sink's writer in a JVM whose whole heap is 160 MiB: less
 * than the batch, and too little for its object (about 145 MiB) next to the part buffers, so the
 * writer's memory must be bounded by the parts in flight and the chunks it keeps for re-routing,
 * not by the batch. The object is then read back as a stream, and its line count and SHA-256
 * compared with what the child generated.
 *
 * <p>{@code -Dsluice.largeBatch.probeHeaps=136m,128m} also runs the child with those heaps and
 * prints how each fared, never failing the build, to see how close to the edge 160 MiB is; {@code
 * -Dsluice.largeBatch.probeJvmArgs="-XX:+UseSerialGC"} replaces their collector flag.
 */
class LargeBatchITCase extends ServersTestBase {

    /** 200 MiB, in 200 chunks of 1 MiB. */
    static final long BATCH_BYTES = 200L * 1024 * 1024;

    static final String HEAP = "160m";
    static final long JOB = 42;
    static final long TIMEOUT_SECONDS = 180;

    /**
     * Named, not left to ergonomics (Serial on one CPU): the heap the writer needs depends on the
     * collector, and G1 is what a task manager gets on any machine of two CPUs or more.
     */
    static final String G1 = "-XX:+UseG1GC";

    @Test
    void aBatchLargerThanTheWritersHeapIsDeliveredWhole() throws Exception {
        String bucket = "large-batch";
        s3.createBucket(bucket);
        String conf = TenantFixture.destination(s3, bucket, "large");

        Child child = runChild(HEAP, List.of(G1), conf, 0);

        assertThat(child.exitCode).as("exit code of the writer with -Xmx" + HEAP).isZero();
        Map<String, String> r = child.results;
        String key = r.get("key");
        long objectBytes = Long.parseLong(r.get("objectBytes"));
        assertThat(r.get("outcome")).isEqualTo("COMMITTED");
        assertThat(Long.parseLong(r.get("uncompressedBytes"))).isEqualTo(BATCH_BYTES);
        assertThat(Long.parseLong(r.get("maxHeapBytes")))
                .as("the child's heap is smaller than the batch")
                .isLessThan(BATCH_BYTES);

        HeadObjectResponse head = s3Client.headObject(h -> h.bucket(bucket).key(key));
        assertThat(head.contentLength()).isEqualTo(objectBytes);

        ReadBack read = readBack(bucket, key);
        assertThat(read.objectBytes).isEqualTo(objectBytes);
        assertThat(read.objectSha256).isEqualTo(r.get("objectSha256"));
        assertThat(read.uncompressedBytes).isEqualTo(BATCH_BYTES);
        assertThat(read.lines).isEqualTo(Long.parseLong(r.get("records")));
        assertThat(read.sha256).isEqualTo(r.get("sha256"));
        assertThat(s3Client.listMultipartUploads(l -> l.bucket(bucket)).uploads())
                .as("multipart uploads left behind")
                .isEmpty();

        System.out.printf(
                "LargeBatchITCase: -Xmx%s, %,d bytes in %d chunks -> object %,d bytes in %s"
                        + " parts; peak heap: pools %s MiB, sampled %s MiB, after GC %s MiB;"
                        + " %s GCs (%s ms); elapsed %s ms (writing %s ms, compressing %s ms)%n",
                HEAP,
                BATCH_BYTES,
                Long.parseLong(r.get("chunks")),
                objectBytes,
                r.get("parts"),
                mib(r.get("peakPoolSumBytes")),
                mib(r.get("peakSampledUsedBytes")),
                mib(r.get("peakAfterGcBytes")),
                r.get("gcCount"),
                r.get("gcMillis"),
                r.get("elapsedMillis"),
                r.get("writeMillis"),
                r.get("compressMillis"));
    }

    /** Informational only: where between "fits" and "out of memory" the writer's heap lies. */
    @Test
    void probeSmallerHeaps() throws Exception {
        String heaps = System.getProperty("sluice.largeBatch.probeHeaps", "");
        assumeThat(heaps).as("sluice.largeBatch.probeHeaps").isNotBlank();
        List<String> probeJvmArgs =
                List.of(System.getProperty("sluice.largeBatch.probeJvmArgs", G1).split(" "))
                        .stream()
                        .filter(a -> !a.isBlank())
                        .toList();
        String bucket = "large-batch-probe";
        s3.createBucket(bucket);
        long seq = 100;
        for (String heap : heaps.split(",")) {
            String conf = TenantFixture.destination(s3, bucket, "heap-" + heap.trim());
            Child child = runChild(heap.trim(), probeJvmArgs, conf, seq++);
            System.out.printf(
                    "LargeBatchITCase probe: -Xmx%s exit %d, peak heap: pools %s MiB, sampled %s"
                            + " MiB, after GC %s MiB, %s GCs (%s ms), elapsed %s ms%n",
                    heap.trim(),
                    child.exitCode,
                    mib(child.results.get("peakPoolSumBytes")),
                    mib(child.results.get("peakSampledUsedBytes")),
                    mib(child.results.get("peakAfterGcBytes")),
                    child.results.get("gcCount"),
                    child.results.get("gcMillis"),
                    child.results.get("elapsedMillis"));
        }
    }

    private static Child runChild(String heap, List<String> jvmArgs, String conf, long seq)
            throws Exception {
        Path log = Files.createTempFile(dir, "large-batch-" + heap + "-", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        // An OutOfMemoryError in a part upload thread would otherwise surface as an upload
        // failure; dying at once makes "did not fit" unambiguous.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LargeBatchWriterMain.class.getName());
        command.add(conf);
        command.add(Long.toString(BATCH_BYTES));
        command.add(Long.toString(JOB));
        command.add(Long.toString(seq));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(
                    "the writer with -Xmx" + heap + " took over " + TIMEOUT_SECONDS + " s");
        }
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            System.out.println("[writer -Xmx" + heap + "] " + line);
            if (line.startsWith("RESULT ")) {
                int eq = line.indexOf('=');
                results.put(line.substring("RESULT ".length(), eq), line.substring(eq + 1));
            }
        }
        return new Child(process.exitValue(), results);
    }

    /** Streams the object: never more than a buffer of it in this JVM either. */
    private static ReadBack readBack(String bucket, String key) throws IOException {
        MessageDigest objectSha = sha256();
        MessageDigest sha = sha256();
        long lines = 0;
        long bytes = 0;
        try (InputStream body = s3Client.getObject(g -> g.bucket(bucket).key(key));
                DigestInputStream object = new DigestInputStream(body, objectSha);
                CountingStream counted = new CountingStream(object);
                GZIPInputStream in = new GZIPInputStream(new Peeking(counted), 64 * 1024)) {
            byte[] buf = new byte[64 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
            // Drains what gzip left unread, so the object's digest covers all of it.
            while (counted.read(buf) >= 0) {}
            return new ReadBack(
                    counted.count,
                    HexFormat.of().formatHex(objectSha.digest()),
                    bytes,
                    lines,
                    HexFormat.of().formatHex(sha.digest()));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mib(String bytes) {
        if (bytes == null) {
            return "?";
        }
        return String.format(Locale.ROOT, "%.1f", Long.parseLong(bytes) / 1048576.0);
    }

    private record Child(int exitCode, Map<String, String> results) {}

    private record ReadBack(
            long objectBytes,
            String objectSha256,
            long uncompressedBytes,
            long lines,
            String sha256) {}

    /**
     * JDK 17's GZIPInputStream looks for a next member only if {@code available()} is positive or
     * enough bytes are left in its buffer, so over a network stream it can stop silently at a
     * member boundary (JDK-7036144): with an 8 KiB buffer it read 47 of this object's 200 members
     * and reported a clean end. Answering by peeking a byte makes it see every member.
     */
    private static final class Peeking extends FilterInputStream {

        Peeking(InputStream in) {
            super(new BufferedInputStream(in, 64 * 1024));
        }

        @Override
        public int available() throws IOException {
            int buffered = in.available();
            if (buffered > 0) {
                return buffered;
            }
            in.mark(1);
            int b = in.read();
            in.reset();
            return b < 0 ? 0 : 1;
        }
    }

    private static final class CountingStream extends FilterInputStream {

        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
