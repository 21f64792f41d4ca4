package dev.sluice.sink.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A body read from a stream that must hold exactly its announced length: a source that ends early
 * or runs on fails the write before anything becomes visible, so a truncated copy never looks
 * whole.
 */
final class ExactBody {

    /** Appended a chunk at a time; the part buffer of an S3 upload gathers them into parts. */
    private static final int CHUNK = 1024 * 1024;

    private ExactBody() {}

    /** All of a body small enough for memory. */
    static byte[] read(InputStream in, int length, String location) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw endedEarly(location, bytes.length, length);
        }
        requireEnd(in, length, location);
        return bytes;
    }

    /** Appends the body to {@code staged} as it is read: memory stays at one chunk. */
    static void copy(InputStream in, long length, StagedObject staged, String location)
            throws IOException {
        long copied = 0;
        byte[] chunk = new byte[(int) Math.min(CHUNK, length)];
        while (copied < length) {
            int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, length - copied));
            if (n == 0) {
                throw endedEarly(location, copied, length);
            }
            // A copy per chunk: StagedObject does not promise to be done with it on return.
            staged.append(Arrays.copyOf(chunk, n));
            copied += n;
        }
        requireEnd(in, length, location);
    }

    private static void requireEnd(InputStream in, long length, String location)
            throws IOException {
        if (in.read() >= 0) {
            throw new IOException(location + ": the source has more than " + length + " bytes");
        }
    }

    private static IOException endedEarly(String location, long read, long length) {
        return new IOException(
                location + ": the source ended after " + read + " of " + length + " bytes");
    }
}
