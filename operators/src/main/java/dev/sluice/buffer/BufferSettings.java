package dev.sluice.buffer;

import java.io.Serializable;

/**
 * The buffer's per-subtask limits and compression settings. The caps bound what is in flight (open
 * batches), not how many jobs are configured: when one is reached, the buffer delivers batches
 * early, smaller, and never drops a record.
 *
 * @param chunkBytes uncompressed bytes of pending records that are compressed into one chunk; what
 *     a job holds uncompressed is at most this plus one record
 * @param maxActiveJobs jobs with an open batch; beyond it the oldest batch is delivered early
 * @param maxBytes bytes held by open batches (compressed chunks plus pending records); beyond it
 *     the largest batches are delivered early until a tenth of the cap is free
 * @param gzipLevel deflate level for gzip chunks, 1 (fastest) to 9 (smallest)
 * @param zstdLevel zstd level for zstd chunks, 1 to 19
 * @param closeAheadMillis a batch whose interval ends within this of a checkpoint barrier goes out
 *     at the barrier instead: the job's checkpoint interval, so that it is committed by this
 *     checkpoint rather than wait out its interval and then the whole next one; 0 never
 * @param memoryBytes uncompressed records the open batches keep in operator memory, counted as the
 *     arrays holding them ({@link PendingLines#heldBytes}; they reach keyed state at each
 *     checkpoint barrier); beyond it the largest pending sets are compressed into chunks early, or
 *     spilled to keyed state when too small for a chunk, so memory is bounded whatever the state
 *     backend and the caps. {@link #AUTO_MEMORY} leaves it to the subtask to take its share of the
 *     TaskManager's heap ({@link #withMemoryFor})
 */
public record BufferSettings(
        long chunkBytes,
        int maxActiveJobs,
        long maxBytes,
        int gzipLevel,
        int zstdLevel,
        long closeAheadMillis,
        long memoryBytes)
        implements Serializable {

    public static final long DEFAULT_CHUNK_BYTES = 1024 * 1024;

    /** The largest chunk: far beyond where a larger one compresses better, well within an array. */
    public static final long MAX_CHUNK_BYTES = 256L * 1024 * 1024;

    public static final int DEFAULT_MAX_ACTIVE_JOBS = 10_000;
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    /**
     * The memory budget when none is set: a share of the heap, resolved where the buffer runs. No
     * setting can give it (a memory size is never negative), so a budget set to 0 is refused as
     * smaller than a chunk rather than taken for unset.
     */
    public static final long AUTO_MEMORY = -1;

    /** The least memory budget a subtask takes of its own accord: a small heap's. */
    public static final long MIN_AUTO_MEMORY_BYTES = 64L * 1024 * 1024;

    /**
     * The part of its slot's share of the heap a subtask's pending records take when no budget is
     * set. The rest holds the configuration (about 600 MiB a TaskManager at a million jobs), the
     * sink's objects in flight and Flink's own. A quarter of a manifest TaskManager's (4 GiB, 2
     * slots) is about 200 MiB; of the bench's 4 GiB heap, the cap of 256 MiB.
     */
    public static final int AUTO_MEMORY_HEAP_SHARE = 4;

    /**
     * Level 1 of libdeflate: measured at twice the speed of the JDK zlib's level 3 (the default
     * before) for objects of about the same size (3% smaller on 1 MiB chunks, 1% larger over the
     * bench's 2,000 objects), and compression is most of the buffer's per-record cost
     * (docs/BENCHMARKS.md).
     */
    public static final int DEFAULT_GZIP_LEVEL = 1;

    public static final int DEFAULT_ZSTD_LEVEL = 3;

    public BufferSettings {
        require(chunkBytes >= 64 * 1024, "chunk bytes must be at least 64 KiB: " + chunkBytes);
        // A chunk, and the records a barrier writes as one state block, are each one array.
        require(
                chunkBytes <= MAX_CHUNK_BYTES,
                "chunk bytes must be at most " + (MAX_CHUNK_BYTES >> 20) + " MiB: " + chunkBytes);
        require(maxActiveJobs >= 1, "max active jobs must be at least 1: " + maxActiveJobs);
        require(
                maxBytes >= chunkBytes,
                "max bytes (" + maxBytes + ") must hold at least one chunk (" + chunkBytes + ")");
        require(gzipLevel >= 1 && gzipLevel <= 9, "gzip level must be 1..9: " + gzipLevel);
        require(zstdLevel >= 1 && zstdLevel <= 19, "zstd level must be 1..19: " + zstdLevel);
        require(closeAheadMillis >= 0, "close-ahead must not be negative: " + closeAheadMillis);
        require(
                memoryBytes == AUTO_MEMORY || memoryBytes >= chunkBytes,
                "memory bytes ("
                        + memoryBytes
                        + ") must hold at least one chunk ("
                        + chunkBytes
                        + ")");
    }

    public static BufferSettings defaults() {
        return new BufferSettings(
                DEFAULT_CHUNK_BYTES,
                DEFAULT_MAX_ACTIVE_JOBS,
                DEFAULT_MAX_BYTES,
                DEFAULT_GZIP_LEVEL,
                DEFAULT_ZSTD_LEVEL,
                0,
                AUTO_MEMORY);
    }

    public BufferSettings withMaxActiveJobs(int value) {
        return new BufferSettings(
                chunkBytes, value, maxBytes, gzipLevel, zstdLevel, closeAheadMillis, memoryBytes);
    }

    public BufferSettings withMaxBytes(long value) {
        return new BufferSettings(
                chunkBytes,
                maxActiveJobs,
                value,
                gzipLevel,
                zstdLevel,
                closeAheadMillis,
                memoryBytes);
    }

    public BufferSettings withChunkBytes(long value) {
        return new BufferSettings(
                value,
                maxActiveJobs,
                maxBytes,
                gzipLevel,
                zstdLevel,
                closeAheadMillis,
                memoryBytes);
    }

    public BufferSettings withGzipLevel(int value) {
        return new BufferSettings(
                chunkBytes,
                maxActiveJobs,
                maxBytes,
                value,
                zstdLevel,
                closeAheadMillis,
                memoryBytes);
    }

    public BufferSettings withCloseAheadMillis(long value) {
        return new BufferSettings(
                chunkBytes, maxActiveJobs, maxBytes, gzipLevel, zstdLevel, value, memoryBytes);
    }

    public BufferSettings withMemoryBytes(long value) {
        return new BufferSettings(
                chunkBytes, maxActiveJobs, maxBytes, gzipLevel, zstdLevel, closeAheadMillis, value);
    }

    /**
     * These settings with a memory budget, if none is set: a quarter of what the heap holds per
     * slot, since each slot runs one buffer subtask; at least {@link #MIN_AUTO_MEMORY_BYTES}, at
     * most {@link #maxBytes} (which counts pending records too, so a larger budget would never be
     * reached), and never less than a chunk. Without it, a budget far under what the subtask could
     * hold compresses small chunks early and spills pending records to the state backend long
     * before the heap is short (docs/PERFORMANCE.md, item 18).
     *
     * @param maxHeapBytes the JVM's heap ({@link Runtime#maxMemory()}; {@link Long#MAX_VALUE} when
     *     unbounded)
     * @param slots the TaskManager's task slots
     */
    public BufferSettings withMemoryFor(long maxHeapBytes, int slots) {
        if (memoryBytes != AUTO_MEMORY) {
            return this;
        }
        long share = maxHeapBytes / Math.max(1, slots) / AUTO_MEMORY_HEAP_SHARE;
        long budget = Math.min(maxBytes, Math.max(MIN_AUTO_MEMORY_BYTES, share));
        return withMemoryBytes(Math.max(chunkBytes, budget));
    }

    /** What remains in memory after the memory budget forced early compression. */
    long memoryLowWater() {
        return memoryBytes - memoryBytes / 4;
    }

    /** What remains buffered after the byte cap forced early deliveries. */
    long bytesLowWater() {
        return maxBytes - maxBytes / 10;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
