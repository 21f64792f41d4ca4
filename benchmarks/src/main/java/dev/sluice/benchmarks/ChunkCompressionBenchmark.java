package dev.sluice.benchmarks;

import dev.sluice.buffer.BufferSettings;
import dev.sluice.buffer.ChunkCompressor;
import dev.sluice.config.Compression;
import dev.sluice.config.OutputOptions;
import dev.sluice.encode.BatchFraming;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Compresses one buffer chunk (1 MiB of one job's NDJSON records) per operation, at each codec and
 * level a job or the buffer's settings can choose. The score is chunks per second; the {@code
 * inputMB} counter is uncompressed megabytes (10^6 bytes) per second and {@code outputMB} the
 * compressed ones, so their quotient is the compression ratio. The ratio is also printed once at
 * setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ChunkCompressionBenchmark {

    /** Codec and level, {@code gzip-1} … {@code gzip-9}, {@code zstd-1} … {@code zstd-19}. */
    @Param({"gzip-1", "gzip-3", "gzip-6", "gzip-9", "zstd-1", "zstd-3"})
    public String codec;

    private ChunkCompressor compressor;
    private Compression compression;
    private BatchFraming framing;
    private List<byte[]> records;
    private double inputMegabytes;

    /** Rates JMH reports next to the score: megabytes in and out per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public double inputMB;
        public double outputMB;

        @Setup(Level.Iteration)
        public void reset() {
            inputMB = 0;
            outputMB = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        String[] parts = codec.split("-", 2);
        compression =
                Compression.find(parts[0])
                        .orElseThrow(() -> new IllegalArgumentException("codec: " + codec));
        int level = Integer.parseInt(parts[1]);
        compressor =
                compression == Compression.GZIP
                        ? new ChunkCompressor(level, BufferSettings.DEFAULT_ZSTD_LEVEL)
                        : new ChunkCompressor(BufferSettings.DEFAULT_GZIP_LEVEL, level);
        framing = BatchFraming.forOptions(OutputOptions.defaults());
        records = new SampleRecords(42).chunk(7, BufferSettings.DEFAULT_CHUNK_BYTES);

        // A middle chunk: the common case, neither the batch's prefix nor its suffix.
        CountingStream input = new CountingStream();
        framing.writeChunk(input, records, false, false);
        inputMegabytes = input.count / 1e6;
        byte[] compressed = compress();
        System.out.printf(
                Locale.ROOT,
                "%n%s: %d records, %d bytes in, %d bytes out, ratio %.4f (out/in)%n",
                codec,
                records.size(),
                input.count,
                compressed.length,
                (double) compressed.length / input.count);
    }

    @Benchmark
    public byte[] compressChunk(Bytes bytes) throws IOException {
        byte[] compressed = compress();
        bytes.inputMB += inputMegabytes;
        bytes.outputMB += compressed.length / 1e6;
        return compressed;
    }

    private byte[] compress() throws IOException {
        return compressor.compress(compression, framing, records, false, false);
    }

    /** Measures what the framing writes, so the input size counts delimiters too. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
