package dev.sluice.buffer;

import com.fulcrumgenomics.jlibdeflate.LibdeflateCompressor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses a chunk's bytes, whole, into one gzip member. With libdeflate (through jlibdeflate's
 * JNI binding), which compresses this pipeline's NDJSON 1.4 to 2.3 times as fast as the JDK's zlib
 * at the same level, into members a little smaller (docs/BENCHMARKS.md); with the JDK's zlib where
 * libdeflate's native library does not load (a platform it is not built for), so a job never fails
 * for want of it. Reuses its output buffer up to {@link ChunkCompressor#KEPT_BUFFER_BYTES}; not
 * thread-safe.
 */
final class GzipMembers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GzipMembers.class);

    private final int level;
    private final LibdeflateCompressor libdeflate;
    private final KeptBuffer out = new KeptBuffer();

    private GzipMembers(int level, LibdeflateCompressor libdeflate) {
        this.level = level;
        this.libdeflate = libdeflate;
    }

    /** At {@code level} (1 fastest to 9 smallest), with libdeflate if it loads. */
    static GzipMembers atLevel(int level) {
        return new GzipMembers(level, libdeflateAt(level));
    }

    /** At {@code level}, with the JDK's zlib: what a platform without libdeflate runs. */
    static GzipMembers jdkAtLevel(int level) {
        return new GzipMembers(level, null);
    }

    private static LibdeflateCompressor libdeflateAt(int level) {
        try {
            return new LibdeflateCompressor(level);
        } catch (LinkageError e) {
            LOG.warn(
                    "libdeflate's native library did not load ({}); gzip chunks are compressed"
                            + " with the JDK's zlib, at about half the speed",
                    e.toString());
            return null;
        }
    }

    boolean usesLibdeflate() {
        return libdeflate != null;
    }

    /** One gzip member of {@code in[0, length)}. */
    byte[] compress(byte[] in, int length) throws IOException {
        if (libdeflate == null) {
            return jdk(in, length);
        }
        int bound = libdeflate.gzipCompressBound(length);
        byte[] member = out.atLeast(bound);
        int written = libdeflate.gzipCompress(in, 0, length, member, 0, bound);
        return Arrays.copyOf(member, written);
    }

    private byte[] jdk(byte[] in, int length) throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream(Math.max(64, length / 4));
        try (GZIPOutputStream gzip = new LeveledGzipOutputStream(member, level)) {
            gzip.write(in, 0, length);
        }
        return member.toByteArray();
    }

    @Override
    public void close() {
        if (libdeflate != null) {
            libdeflate.close();
        }
    }

    /** {@link GZIPOutputStream} at a chosen level; the JDK only offers the default. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(ByteArrayOutputStream out, int level) throws IOException {
            super(out);
            def.setLevel(level);
        }
    }
}
