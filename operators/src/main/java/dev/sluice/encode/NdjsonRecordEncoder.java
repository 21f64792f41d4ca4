package dev.sluice.encode;

import dev.sluice.config.OutputOptions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Writes a record as {@code "name":value} pairs: names and strings JSON-escaped, numbers as
 * numbers, booleans, null. With the default record prefix, field delimiter and record suffix that
 * is one NDJSON line.
 *
 * <p>One generator lives as long as the encoder and writes every piece as a root-level value or raw
 * text, so a custom prefix, suffix or delimiter needs no object nesting and no per-record
 * generator.
 */
final class NdjsonRecordEncoder extends AbstractRecordEncoder {

    /**
     * Doubles are written as the shortest text that reads back as the same double (Jackson's
     * Schubfach writer, what {@code Double.toString} does from Java 19). Java 17's {@code
     * Double.toString} was a twentieth of the router's time, and now and then wrote a digit more.
     */
    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private static final SerializedString TIMESTAMP_NAME = plainName(TIMESTAMP_FIELD);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private final JsonGenerator json;
    private final SerializedString recordPrefix;
    private final SerializedString recordSuffix;
    private final SerializedString fieldDelimiter;

    /**
     * Each selected field's {@code "name":} as it is written, by its index in the field names; null
     * for a name that needs escaping, which is written through the generator record by record.
     */
    private final SerializedString[] selectedNames;

    NdjsonRecordEncoder(OutputOptions options) {
        super(options);
        this.recordPrefix = raw(options.recordPrefix());
        this.recordSuffix = raw(options.recordSuffix());
        this.fieldDelimiter = raw(options.fieldDelimiter());
        List<String> names = options.fieldNames();
        this.selectedNames = new SerializedString[names.size()];
        for (int i = 0; i < names.size(); i++) {
            selectedNames[i] = plainName(redact(names.get(i)));
        }
        try {
            this.json = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a JSON generator", e);
        }
        // Root-level values are otherwise separated by a space; the framing is ours to write.
        json.setRootValueSeparator(null);
    }

    @Override
    void startRecord() throws IOException {
        // Flush first: after a failed record the generator may still hold part of it.
        json.flush();
        out.reset();
        json.writeRaw(recordPrefix);
    }

    @Override
    void writeFieldDelimiter() throws IOException {
        json.writeRaw(fieldDelimiter);
    }

    @Override
    void writeTimestamp(long value) throws IOException {
        json.writeRaw(TIMESTAMP_NAME);
        json.writeNumber(value);
    }

    @Override
    void writeTimestamp(String text) throws IOException {
        json.writeRaw(TIMESTAMP_NAME);
        json.writeString(text);
    }

    @Override
    void writeField(String name, Object value) throws IOException {
        writeName(redact(name));
        writeValue(value);
    }

    @Override
    void writeSelectedField(int index, String name, Object value) throws IOException {
        SerializedString prepared = selectedNames[index];
        if (prepared == null) {
            writeName(redact(name));
        } else {
            json.writeRaw(prepared);
        }
        writeValue(value);
    }

    private void writeValue(Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Boolean) {
            json.writeBoolean((Boolean) value);
        } else if (value instanceof Long) {
            json.writeNumber((Long) value);
        } else if (value instanceof Double) {
            json.writeNumber((Double) value);
        } else {
            json.writeString(redact(value.toString()));
        }
    }

    @Override
    byte[] finishRecord() throws IOException {
        json.writeRaw(recordSuffix);
        json.flush();
        return out.toByteArray();
    }

    /**
     * Framing written raw, a lone surrogate in it as '?' (as {@link BatchFraming} and the csv
     * encoder write it): Jackson refuses to encode one, and a config may carry it ({@code
     * "\\ud800"} in JSON), which failed every record of the job and so the task, at every restart.
     */
    private static SerializedString raw(String framing) {
        return new SerializedString(new String(framing.getBytes(UTF_8), UTF_8));
    }

    /**
     * {@code "name":} as the generator writes it, for a name of printable ASCII without quote or
     * backslash, which JSON writes as it is; null for any other, left to the generator's escaping
     * (and its refusal of a lone surrogate) every time.
     */
    static SerializedString plainName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return null;
            }
        }
        return new SerializedString('"' + name + "\":");
    }

    private void writeName(String name) throws IOException {
        json.writeString(name);
        json.writeRaw(':');
    }
}
