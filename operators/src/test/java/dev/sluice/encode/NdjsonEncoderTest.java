package dev.sluice.encode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.OutputOptions;
import dev.sluice.schemas.LogEvent;
import dev.sluice.testing.TestEvents;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

class NdjsonEncoderTest {

    private static String encode(List<String> fields, String timestampFormat, LogEvent event) {
        OutputOptions options = OutputOptions.fromJson(fields, "ndjson", timestampFormat);
        return new String(new NdjsonEncoder(options).encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void writesSelectedFieldsInOrderAndAbsentOnesAsNull() {
        LogEvent event = TestEvents.event("acme", TestEvents.T0_MICROS, 503);

        assertThat(encode(List.of("EdgeResponseStatus", "Missing", "timestamp"), "unix", event))
                .isEqualTo("{\"EdgeResponseStatus\":503,\"Missing\":null,\"timestamp\":1731579300}\n");
    }

    @Test
    void writesEveryFieldInNameOrderWhenNoneAreSelected() {
        LogEvent event = TestEvents.event("acme", TestEvents.T0_MICROS, 200);
        event.getFields().put("Score", null);
        event.getFields().put("Cached", true);
        event.getFields().put("Ratio", 0.5);

        assertThat(encode(null, "rfc3339", event))
                .isEqualTo("{\"timestamp\":\"2024-11-14T10:15:00Z\",\"Cached\":true,\"ClientIP\":\"192.0.2.7\","
                        + "\"ClientRequestHost\":\"acme.example.com\",\"EdgeResponseStatus\":200,"
                        + "\"Ratio\":0.5,\"Score\":null}\n");
    }

    @Test
    void escapesStringsAsJson() {
        LogEvent event = TestEvents.event("acme", TestEvents.T0_MICROS, 200);
        event.getFields().put("ClientRequestURI", "/a\"b\n");

        assertThat(encode(List.of("ClientRequestURI"), null, event)).isEqualTo("{\"ClientRequestURI\":\"/a\\\"b\\n\"}\n");
    }
}
