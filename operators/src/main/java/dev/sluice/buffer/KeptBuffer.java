package dev.sluice.buffer;

/**
 * Room for a compressor's output, reused from chunk to chunk up to {@link
 * ChunkCompressor#KEPT_BUFFER_BYTES}; room for a larger chunk is made for it alone and let go, so
 * no subtask holds it for good. Not thread-safe.
 */
final class KeptBuffer {

    private byte[] kept = new byte[0];

    /** An array of at least {@code size} bytes. */
    byte[] atLeast(int size) {
        if (kept.length >= size) {
            return kept;
        }
        byte[] room = new byte[size];
        if (size <= ChunkCompressor.KEPT_BUFFER_BYTES) {
            kept = room;
        }
        return room;
    }
}
