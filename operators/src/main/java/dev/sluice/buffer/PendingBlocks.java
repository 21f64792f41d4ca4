package dev.sluice.buffer;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pending records as keyed state holds them: the records a batch gathered since the last barrier,
 * each prefixed by its length, as one zstd frame. Written raw, one element a record, they cost a
 * checkpoint in RocksDB as much as the records themselves (the memtable flush in the barrier's
 * synchronous part, then compaction); a fast zstd level shrinks that several-fold for a fraction of
 * the CPU. The format is the state's, not the output's: a job's own codec compresses its chunks.
 *
 * <p>A block is a format byte ({@link #FORMAT}) and the frame, which states its content size. Not
 * thread-safe: one per buffer subtask, reusing its buffers and zstd context; {@link #close()} frees
 * the context's native memory.
 */
public final class PendingBlocks implements AutoCloseable {

    /** The only format so far; a later one gets its own byte and this one stays readable. */
    static final byte FORMAT = 1;

    /**
     * zstd's fastest regular level: a block of 50 or more log lines is a seventh to a tenth of
     * their size (a few lines shrink less, one hardly), at several hundred MB/s per core. The
     * blocks live only until the batch's next chunk is compressed.
     */
    static final int LEVEL = 1;

    private static final int LENGTH_BYTES = Integer.BYTES;

    // The frame's checksum makes a damaged block fail its restore instead of delivering garbage.
    private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(LEVEL).setChecksum(true);
    private byte[] raw = new byte[64 * 1024];
    private byte[] compressed = new byte[Math.toIntExact(Zstd.compressBound(raw.length)) + 1];

    /** One block of {@code records}, in order; the caller keeps the list. */
    byte[] encode(List<byte[]> records) {
        PendingLines lines = new PendingLines();
        records.forEach(lines::add);
        return encode(lines, 0);
    }

    /** One block of the records of {@code lines} from index {@code from} on, in order. */
    byte[] encode(PendingLines lines, int from) {
        long rawSize =
                (long) LENGTH_BYTES * (lines.count() - from) + lines.bytes() - lines.start(from);
        if (rawSize > Integer.MAX_VALUE - 16) {
            // Cannot happen: a batch compresses its pending records at the chunk size (<= 256 MiB).
            throw new IllegalArgumentException(
                    "Pending records of " + rawSize + " bytes exceed one state block");
        }
        int size = (int) rawSize;
        ensureCapacity(size);
        byte[] data = lines.data();
        int at = 0;
        for (int i = from; i < lines.count(); i++) {
            int start = lines.start(i);
            int length = lines.end(i) - start;
            at = writeInt(raw, at, length);
            System.arraycopy(data, start, raw, at, length);
            at += length;
        }
        int written = zstd.compressByteArray(compressed, 1, compressed.length - 1, raw, 0, size);
        compressed[0] = FORMAT;
        return Arrays.copyOf(compressed, written + 1);
    }

    /** The records of a block, in order. */
    public static List<byte[]> decode(byte[] block) {
        if (block.length == 0 || block[0] != FORMAT) {
            throw new IllegalStateException(
                    "Unreadable pending-records block in the buffer's state: "
                            + (block.length == 0
                                    ? "empty"
                                    : "format " + block[0] + " (this build reads " + FORMAT + ")"));
        }
        if (block.length == 1) {
            throw new IllegalStateException(
                    "Unreadable pending-records block in the buffer's state: no frame");
        }
        long size = Zstd.getFrameContentSize(block, 1, block.length - 1, false);
        if (size < 0 || size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException(
                    "Unreadable pending-records block in the buffer's state: content size " + size);
        }
        // Streamed, not into an array of the stated size: a damaged header may state up to 2 GB
        // for a few bytes of frame, and allocating that failed the restore with an
        // OutOfMemoryError instead of this error. Memory follows what actually decompresses.
        byte[] raw;
        try (InputStream in =
                new ZstdInputStream(new ByteArrayInputStream(block, 1, block.length - 1))) {
            raw = in.readNBytes((int) size);
            if (raw.length != size || in.read() != -1) {
                throw new IllegalStateException(
                        "Pending-records block in the buffer's state does not hold the "
                                + size
                                + " bytes its frame states");
            }
        } catch (IOException | ZstdException e) {
            throw new IllegalStateException(
                    "Corrupt pending-records block in the buffer's state: " + e.getMessage(), e);
        }
        return split(raw);
    }

    private static List<byte[]> split(byte[] raw) {
        List<byte[]> records = new ArrayList<>();
        int at = 0;
        while (at < raw.length) {
            if (raw.length - at < LENGTH_BYTES) {
                throw truncated(raw.length);
            }
            int length = readInt(raw, at);
            at += LENGTH_BYTES;
            if (length < 0 || length > raw.length - at) {
                throw truncated(raw.length);
            }
            records.add(Arrays.copyOfRange(raw, at, at + length));
            at += length;
        }
        return records;
    }

    private static IllegalStateException truncated(int size) {
        return new IllegalStateException(
                "Pending-records block in the buffer's state ends inside a record ("
                        + size
                        + " bytes)");
    }

    private void ensureCapacity(int size) {
        if (raw.length < size) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(size, 2L * raw.length));
            raw = new byte[grown];
            compressed = new byte[Math.toIntExact(Zstd.compressBound(grown)) + 1];
        }
    }

    private static int writeInt(byte[] to, int at, int value) {
        to[at] = (byte) (value >>> 24);
        to[at + 1] = (byte) (value >>> 16);
        to[at + 2] = (byte) (value >>> 8);
        to[at + 3] = (byte) value;
        return at + LENGTH_BYTES;
    }

    private static int readInt(byte[] from, int at) {
        return (from[at] & 0xff) << 24
                | (from[at + 1] & 0xff) << 16
                | (from[at + 2] & 0xff) << 8
                | (from[at + 3] & 0xff);
    }

    @Override
    public void close() {
        zstd.close();
    }
}
