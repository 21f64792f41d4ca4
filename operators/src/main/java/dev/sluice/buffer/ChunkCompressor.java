package dev.sluice.buffer;

import dev.sluice.config.Compression;
import dev.sluice.encode.BatchFraming;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses one run of a batch's records into a self-contained gzip member or zstd frame. Members
 * (frames) concatenate into one valid file, so a batch can be compressed a chunk at a time and its
 * chunks uploaded as they are, without ever holding the whole batch. Reuses one output buffer; not
 * thread-safe.
 */
public final class ChunkCompressor {

    private static final int STREAM_BUFFER = 64 * 1024;

    private final int gzipLevel;
    private final int zstdLevel;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(STREAM_BUFFER);

    public ChunkCompressor(int gzipLevel, int zstdLevel) {
        this.gzipLevel = gzipLevel;
        this.zstdLevel = zstdLevel;
    }

    /** One member or frame of {@code records}, framed as the given run of its batch. */
    public byte[] compress(
            Compression codec,
            BatchFraming framing,
            Iterable<byte[]> records,
            boolean firstChunk,
            boolean lastChunk)
            throws IOException {
        out.reset();
        // The framing writes each record and each delimiter on its own; gathered into 64 KiB
        // blocks, the codec's native code is called once a block instead of twice a record.
        try (OutputStream compressed = new BufferedOutputStream(open(codec), STREAM_BUFFER)) {
            framing.writeChunk(compressed, records, firstChunk, lastChunk);
        }
        return out.toByteArray();
    }

    private OutputStream open(Compression codec) throws IOException {
        switch (codec) {
            case ZSTD:
                return new ZstdOutputStreamNoFinalizer(out, zstdLevel);
            case GZIP:
            default:
                return new LeveledGzipOutputStream(out, gzipLevel);
        }
    }

    /** {@link GZIPOutputStream} at a chosen level; the JDK only offers the default. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, STREAM_BUFFER);
            def.setLevel(level);
        }
    }
}
