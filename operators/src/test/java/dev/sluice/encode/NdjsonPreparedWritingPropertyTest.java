package dev.sluice.encode;

import dev.sluice.schemas.LogEvent;
import dev.sluice.testing.TestEvents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static dev.sluice.testing.TestOutputOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the ndjson encoder prepares once per job instead of writing record by record (a selected
 * field's {@code "name":}, a double's shortest text) reads back as what the generator would have
 * written, for any name and any double.
 */
class NdjsonPreparedWritingPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 1000)
    void aPreparedNameIsExactlyWhatTheGeneratorWrites(@ForAll("names") String name)
            throws IOException {
        SerializedString prepared = NdjsonRecordEncoder.plainName(name);
        if (prepared == null) {
            return;
        }

        assertThat(prepared.getValue()).isEqualTo(generated(name) + ":");
    }

    @Property(tries = 300)
    void plainNamesArePrepared(@ForAll("plain") String name) {
        assertThat(NdjsonRecordEncoder.plainName(name)).isNotNull();
    }

    /** Mostly printable ASCII, where quotes, backslashes and controls hide among plain names. */
    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
                Arbitraries.strings()
                        .withCharRange('a', 'z')
                        .withChars('"', '\\', '\u0000', '\u001f', '\u007f', 'é', '\ud800')
                        .ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(12));
    }

    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .excludeChars('"', '\\')
                .ofMaxLength(40);
    }

    @Property(tries = 1000)
    void aSelectedFieldOfAnyNameAndDoubleReadsBackAsWritten(
            @ForAll("names") String name, @ForAll double value) throws IOException {
        if (name.equals(RecordEncoder.TIMESTAMP_FIELD)) {
            return; // the envelope time, never the event's field
        }
        LogEvent event = TestEvents.event("acme", TestEvents.T0_MICROS, 200);
        event.getFields().clear();
        event.getFields().put(name, value);
        String optionsJson =
                "{\"field_names\":["
                        + JSON.writeValueAsString(name)
                        + "],\"timestamp_format\":\"unix\"}";
        RecordEncoder encoder;
        try {
            encoder = RecordEncoder.forOptions(options(optionsJson));
        } catch (RuntimeException e) {
            return; // names the options refuse never reach an encoder
        }
        byte[] line;
        try {
            line = encoder.encode(event);
        } catch (RuntimeException e) {
            // A name the generator refuses (a lone surrogate) fails as it always did.
            assertThat(NdjsonRecordEncoder.plainName(name)).isNull();
            return;
        }

        JsonNode read = JSON.readTree(new String(line, StandardCharsets.UTF_8));
        assertThat(read.size()).isEqualTo(1);
        JsonNode field = read.get(name);
        if (Double.isFinite(value)) {
            assertThat(field.doubleValue()).isEqualTo(value);
        } else {
            assertThat(field.textValue()).isEqualTo(String.valueOf(value));
        }
    }

    private static String generated(String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeString(name);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Csv and ndjson write a double as one text, so one value reads the same in either type. */
    @Property(tries = 1000)
    void csvAndNdjsonWriteADoubleAlike(@ForAll double value) throws IOException {
        LogEvent event = TestEvents.event("acme", TestEvents.T0_MICROS, 200);
        event.getFields().clear();
        event.getFields().put("Ratio", value);
        String json =
                new String(
                        RecordEncoder.forOptions(options("{'field_names':['Ratio']}"))
                                .encode(event),
                        StandardCharsets.UTF_8);
        String csv =
                new String(
                        RecordEncoder.forOptions(
                                        options("{'field_names':['Ratio'],'output_type':'csv'}"))
                                .encode(event),
                        StandardCharsets.UTF_8);

        JsonNode written = JSON.readTree(json).get("Ratio");
        // The number as written, not as Jackson's tree would print it again.
        String jsonText =
                written.isTextual()
                        ? written.textValue()
                        : json.substring("{\"Ratio\":".length(), json.lastIndexOf('}'));
        assertThat(csv.strip()).isEqualTo(jsonText);
        if (Double.isFinite(value)) {
            assertThat(Double.parseDouble(csv.strip())).isEqualTo(value);
        }
    }
}
