package dev.sluice.encode;

import dev.sluice.config.OutputOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a job's output options put around and between the records of one batch (one object): {@code
 * batch_prefix}, the records separated by {@code record_delimiter}, {@code batch_suffix}. Records
 * carry their own prefix and suffix ({@link RecordEncoder}).
 *
 * <p>Example: batch prefix {@code [}, record delimiter {@code ,}, batch suffix {@code ]} and a
 * record suffix without the newline make each object one JSON array.
 */
public final class BatchFraming {

    private final byte[] prefix;
    private final byte[] suffix;
    private final byte[] recordDelimiter;

    private BatchFraming(byte[] prefix, byte[] suffix, byte[] recordDelimiter) {
        this.prefix = prefix;
        this.suffix = suffix;
        this.recordDelimiter = recordDelimiter;
    }

    public static BatchFraming forOptions(OutputOptions options) {
        return new BatchFraming(
                utf8(options.batchPrefix()),
                utf8(options.batchSuffix()),
                utf8(options.recordDelimiter()));
    }

    /** Bytes before the first record; a copy. */
    public byte[] prefix() {
        return prefix.clone();
    }

    /** Bytes after the last record; a copy. */
    public byte[] suffix() {
        return suffix.clone();
    }

    /** Bytes between two records, not after the last; a copy. */
    public byte[] recordDelimiter() {
        return recordDelimiter.clone();
    }

    /** Whether the framing adds nothing, so a batch is just its records back to back. */
    public boolean isEmpty() {
        return prefix.length == 0 && suffix.length == 0 && recordDelimiter.length == 0;
    }

    /** The bytes framing adds to a batch of {@code records} records (limits count them too). */
    public long overheadBytes(long records) {
        long delimiters = Math.max(0, records - 1);
        return prefix.length + suffix.length + delimiters * recordDelimiter.length;
    }

    /** Writes a whole batch: prefix, the records with delimiters between them, suffix. */
    public void writeBatch(OutputStream out, Iterable<byte[]> records) throws IOException {
        writeChunk(out, records, true, true);
    }

    /**
     * Writes one run of a batch's records so that the runs, concatenated, are the whole batch: the
     * first run starts with the prefix, every record but the batch's first follows a delimiter, and
     * the last run ends with the suffix. Every run but the last holds at least one record.
     */
    public void writeChunk(
            OutputStream out, Iterable<byte[]> records, boolean firstChunk, boolean lastChunk)
            throws IOException {
        writeChunk(
                out,
                (o, delimiter, delimitFirst) -> {
                    boolean delimit = delimitFirst;
                    for (byte[] record : records) {
                        if (delimit) {
                            o.write(delimiter);
                        }
                        o.write(record);
                        delimit = true;
                    }
                },
                firstChunk,
                lastChunk);
    }

    /**
     * {@link #writeChunk(OutputStream, Iterable, boolean, boolean)} of records that write
     * themselves.
     */
    public void writeChunk(OutputStream out, Run records, boolean firstChunk, boolean lastChunk)
            throws IOException {
        if (firstChunk) {
            out.write(prefix);
        }
        records.writeTo(out, recordDelimiter, !firstChunk);
        if (lastChunk) {
            out.write(suffix);
        }
    }

    /** A run of records, however they are held, written with the framing's delimiter. */
    @FunctionalInterface
    public interface Run {
        /**
         * Writes the records with {@code delimiter} between two of them, and before the first too
         * when {@code delimitFirst} (the run continues a batch).
         */
        void writeTo(OutputStream out, byte[] delimiter, boolean delimitFirst) throws IOException;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
