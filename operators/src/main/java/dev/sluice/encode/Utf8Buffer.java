package dev.sluice.encode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array that appends text as UTF-8 in place; reused from record to record. */
final class Utf8Buffer {

    /** A UTF-16 char never takes more than 3 bytes (a surrogate pair takes 4 for 2 chars). */
    private static final int MAX_BYTES_PER_CHAR = 3;

    private static final byte[] LONG_MIN =
            Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int size;

    Utf8Buffer(int initialCapacity) {
        this.bytes = new byte[initialCapacity];
    }

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void append(byte[] data) {
        ensureCapacity(data.length);
        System.arraycopy(data, 0, bytes, size, data.length);
        size += data.length;
    }

    void appendAscii(char c) {
        ensureCapacity(1);
        bytes[size++] = (byte) c;
    }

    void appendUtf8(String text) {
        appendUtf8(text, 0, text.length());
    }

    /** Appends {@code text[from, to)}; a lone surrogate becomes '?', as String.getBytes does. */
    void appendUtf8(String text, int from, int to) {
        ensureCapacity(MAX_BYTES_PER_CHAR * (to - from));
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes[size++] = (byte) c;
            } else if (c < 0x800) {
                bytes[size++] = (byte) (0xC0 | (c >> 6));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                writeThreeBytes(c);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < to
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                writeFourBytes(Character.toCodePoint(c, text.charAt(++i)));
            } else {
                bytes[size++] = '?';
            }
        }
    }

    /** Appends the decimal digits of a number without going through a String. */
    void appendLong(long value) {
        if (value == Long.MIN_VALUE) {
            append(LONG_MIN);
            return;
        }
        ensureCapacity(20);
        long v = value;
        if (v < 0) {
            bytes[size++] = '-';
            v = -v;
        }
        int end = size + digits(v);
        int pos = end;
        do {
            bytes[--pos] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        size = end;
    }

    private static int digits(long nonNegative) {
        int digits = 1;
        for (long v = nonNegative; v >= 10; v /= 10) {
            digits++;
        }
        return digits;
    }

    private void writeThreeBytes(char c) {
        bytes[size++] = (byte) (0xE0 | (c >> 12));
        bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
    }

    private void writeFourBytes(int codePoint) {
        bytes[size++] = (byte) (0xF0 | (codePoint >> 18));
        bytes[size++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
        bytes[size++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (codePoint & 0x3F));
    }

    private void ensureCapacity(int more) {
        int needed = size + more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}
