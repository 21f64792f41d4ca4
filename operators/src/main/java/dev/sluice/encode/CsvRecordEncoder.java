package dev.sluice.encode;

import dev.sluice.config.OutputOptions;

import com.fasterxml.jackson.core.io.NumberOutput;

import java.nio.charset.StandardCharsets;

/**
 * Writes a record as values only, joined by the field delimiter, with RFC 4180 quoting: a value
 * holding the delimiter, a quote, CR or LF is quoted and its quotes doubled. Null and missing
 * fields are empty. No header line: Logpush's CSV has none (a batch prefix can carry one).
 *
 * <p>With a delimiter of several characters a value is quoted when it holds any one of them: with
 * {@code ||}, an unquoted {@code |} next to the delimiter would make {@code |||} ambiguous.
 */
final class CsvRecordEncoder extends AbstractRecordEncoder {

    private static final char QUOTE = '"';

    private final Utf8Buffer out = new Utf8Buffer(512);
    private final byte[] recordPrefix;
    private final byte[] recordSuffix;
    private final byte[] fieldDelimiterBytes;
    private final String fieldDelimiter;

    /** Whether a number's digits or sign can contain the delimiter, so numbers need the check. */
    private final boolean numbersMayNeedQuotes;

    CsvRecordEncoder(OutputOptions options) {
        super(options);
        this.recordPrefix = options.recordPrefix().getBytes(StandardCharsets.UTF_8);
        this.recordSuffix = options.recordSuffix().getBytes(StandardCharsets.UTF_8);
        this.fieldDelimiter = options.fieldDelimiter();
        this.fieldDelimiterBytes = fieldDelimiter.getBytes(StandardCharsets.UTF_8);
        this.numbersMayNeedQuotes = fieldDelimiter.chars().anyMatch(c -> c == '-' || isDigit(c));
    }

    @Override
    void startRecord() {
        out.reset();
        out.append(recordPrefix);
    }

    @Override
    void writeFieldDelimiter() {
        out.append(fieldDelimiterBytes);
    }

    @Override
    void writeTimestamp(long value) {
        writeNumber(value);
    }

    @Override
    void writeTimestamp(String text) {
        writeText(text);
    }

    @Override
    void writeField(String name, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Long) {
            writeNumber((Long) value);
        } else if (value instanceof Double) {
            // The shortest text, as the ndjson encoder writes it: one double, one text.
            writeText(NumberOutput.toString((Double) value, true));
        } else if (value instanceof Boolean) {
            writeText(value.toString());
        } else {
            writeText(redact(value.toString()));
        }
    }

    @Override
    byte[] finishRecord() {
        out.append(recordSuffix);
        return out.toByteArray();
    }

    private void writeNumber(long value) {
        if (numbersMayNeedQuotes) {
            writeText(Long.toString(value));
        } else {
            out.appendLong(value);
        }
    }

    private void writeText(String text) {
        if (!needsQuotes(text)) {
            out.appendUtf8(text);
            return;
        }
        out.appendAscii(QUOTE);
        int from = 0;
        for (int quote = text.indexOf(QUOTE); quote >= 0; quote = text.indexOf(QUOTE, from)) {
            out.appendUtf8(text, from, quote + 1);
            out.appendAscii(QUOTE);
            from = quote + 1;
        }
        out.appendUtf8(text, from, text.length());
        out.appendAscii(QUOTE);
    }

    private boolean needsQuotes(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == QUOTE || c == '\r' || c == '\n' || fieldDelimiter.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
