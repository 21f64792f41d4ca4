package dev.sluice.buffer;

import dev.sluice.config.Compression;
import dev.sluice.encode.BatchFraming;

import com.github.luben.zstd.Zstd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Compresses one run of a batch's records into a self-contained gzip member or zstd frame. Members
 * (frames) concatenate into one valid file, so a batch can be compressed a chunk at a time and its
 * chunks uploaded as they are, without ever holding the whole batch. The codec compresses a chunk
 * whole, one native call a chunk and none a record: a batch's {@link PendingLines} where they lie
 * when the job frames nothing around or between its records (the default), else the framed chunk
 * written into one reused buffer first. While it compresses, a chunk takes about twice its framed
 * size (its bytes and its member's room). Not thread-safe; {@link #close} frees the native
 * compressor.
 */
public final class ChunkCompressor implements AutoCloseable {

    /**
     * Buffers up to this size are kept for the next chunk; larger ones (a chunk size configured far
     * above the default 1 MiB) are let go after their chunk, so no subtask holds one for good.
     */
    static final int KEPT_BUFFER_BYTES = 4 * 1024 * 1024;

    private final int zstdLevel;
    private final GzipMembers gzip;
    private final Framed framed = new Framed();
    private final KeptBuffer zstdOut = new KeptBuffer();

    public ChunkCompressor(int gzipLevel, int zstdLevel) {
        this(GzipMembers.atLevel(gzipLevel), zstdLevel);
    }

    ChunkCompressor(GzipMembers gzip, int zstdLevel) {
        this.gzip = gzip;
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
        try {
            framing.writeChunk(framed, records, firstChunk, lastChunk);
            return compressed(codec, framed.bytes(), framed.size());
        } finally {
            framed.release();
        }
    }

    /**
     * One member or frame of {@code records}, framed as the given run of its batch. Records without
     * framing around or between them (the default) are compressed where they lie.
     */
    public byte[] compress(
            Compression codec,
            BatchFraming framing,
            PendingLines records,
            boolean firstChunk,
            boolean lastChunk)
            throws IOException {
        if (framing.isEmpty()) {
            return compressed(codec, records.data(), records.bytes());
        }
        try {
            framing.writeChunk(
                    framed,
                    (out, delimiter, delimitFirst) ->
                            records.writeTo(out, 0, delimiter, delimitFirst),
                    firstChunk,
                    lastChunk);
            return compressed(codec, framed.bytes(), framed.size());
        } finally {
            framed.release();
        }
    }

    private byte[] compressed(Compression codec, byte[] in, int length) throws IOException {
        return codec == Compression.ZSTD ? zstd(in, length) : gzip.compress(in, length);
    }

    private byte[] zstd(byte[] in, int length) {
        int bound = (int) Zstd.compressBound(length);
        byte[] out = zstdOut.atLeast(bound);
        long written = Zstd.compressByteArray(out, 0, bound, in, 0, length, zstdLevel);
        if (Zstd.isError(written)) {
            throw new IllegalStateException("zstd: " + Zstd.getErrorName(written));
        }
        return Arrays.copyOf(out, (int) written);
    }

    /** Whether gzip members come from libdeflate rather than the JDK's zlib. */
    public boolean usesLibdeflate() {
        return gzip.usesLibdeflate();
    }

    @Override
    public void close() {
        gzip.close();
    }

    /** The chunk's framed bytes, read in place. */
    private static final class Framed extends ByteArrayOutputStream {
        private static final int INITIAL_BYTES = 64 * 1024;

        Framed() {
            super(INITIAL_BYTES);
        }

        byte[] bytes() {
            return buf;
        }

        /**
         * Empties it for the next chunk, letting go of a buffer grown past {@link
         * #KEPT_BUFFER_BYTES}.
         */
        void release() {
            if (buf.length > KEPT_BUFFER_BYTES) {
                buf = new byte[INITIAL_BYTES];
            }
            count = 0;
        }
    }
}
