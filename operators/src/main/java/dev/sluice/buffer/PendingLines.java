package dev.sluice.buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch's records not yet compressed, back to back in one array, with where each ends. Held as
 * one array a record, a subtask's hundreds of megabytes of pending records were millions of small
 * objects that every young collection copied and every marking cycle walked; as one array a batch
 * they are a few thousand. Not thread-safe; {@link #clear} lets go of the arrays, so an emptied
 * batch holds no memory.
 */
public final class PendingLines {

    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_ENDS = new int[0];
    private static final int FIRST_BYTES = 1024;
    private static final int FIRST_ENDS = 16;

    /**
     * Arrays double up to this size, then grow by a quarter: a large batch's array is at most a
     * fifth unused room, and growing it copies its bytes a few times over in all, little beside
     * compressing them (growing by a fixed step instead would copy a 256 MiB chunk's bytes hundreds
     * of times).
     */
    static final int GROWTH_STEP = 1024 * 1024;

    private byte[] data = NO_BYTES;
    private int[] ends = NO_ENDS;
    private int size;
    private int count;

    /** Appends a copy of {@code line}. */
    public void add(byte[] line) {
        add(line, 0, line.length);
    }

    /** Appends copies of the records of {@code other} from index {@code from} on. */
    void addFrom(PendingLines other, int from) {
        for (int i = from; i < other.count; i++) {
            int start = other.start(i);
            add(other.data, start, other.ends[i] - start);
        }
    }

    private void add(byte[] bytes, int offset, int length) {
        int end = size + length;
        if (end < 0) {
            // Cannot happen: a batch compresses its pending records at the chunk size (<= 256 MiB).
            throw new IllegalStateException(
                    "Pending records of more than " + Integer.MAX_VALUE + " bytes");
        }
        if (end > data.length) {
            data = Arrays.copyOf(data, grown(data.length, end, FIRST_BYTES));
        }
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, grown(ends.length, count + 1, FIRST_ENDS));
        }
        System.arraycopy(bytes, offset, data, size, length);
        size = end;
        ends[count++] = end;
    }

    private static int grown(int capacity, int needed, int first) {
        long next =
                capacity == 0
                        ? first
                        : capacity < GROWTH_STEP ? 2L * capacity : capacity + capacity / 4L;
        return (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, next));
    }

    /** Records held. */
    public int count() {
        return count;
    }

    /** Bytes of the records held. */
    public int bytes() {
        return size;
    }

    /** Whether it holds no record. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** Bytes of memory its arrays take, used or not. */
    public long heldBytes() {
        return data.length + (long) Integer.BYTES * ends.length;
    }

    /** The bytes of every record, back to back, in {@code [0, bytes())}; read in place. */
    byte[] data() {
        return data;
    }

    /** Where record {@code i} starts in {@link #data()}. */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** Where record {@code i} ends in {@link #data()}, exclusive. */
    int end(int i) {
        return ends[i];
    }

    /** A copy of record {@code i}. */
    public byte[] get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("record " + i + " of " + count);
        }
        return Arrays.copyOfRange(data, start(i), ends[i]);
    }

    /** Copies of the records from {@code from} on, in order. */
    public List<byte[]> copiesFrom(int from) {
        List<byte[]> copies = new ArrayList<>(Math.max(0, count - from));
        for (int i = from; i < count; i++) {
            copies.add(get(i));
        }
        return copies;
    }

    /**
     * Writes the records from {@code from} on, with {@code delimiter} between two of them and
     * before the first too when {@code delimitFirst}.
     */
    void writeTo(OutputStream out, int from, byte[] delimiter, boolean delimitFirst)
            throws IOException {
        if (delimiter.length == 0) {
            out.write(data, start(from), size - start(from));
            return;
        }
        for (int i = from; i < count; i++) {
            if (i > from || delimitFirst) {
                out.write(delimiter);
            }
            out.write(data, start(i), ends[i] - start(i));
        }
    }

    /** Empties it and lets go of its arrays. */
    public void clear() {
        data = NO_BYTES;
        ends = NO_ENDS;
        size = 0;
        count = 0;
    }
}
