package dev.sluice.encode;

import dev.sluice.testing.TestEvents;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.sluice.testing.TestOutputOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A config may carry a lone UTF-16 surrogate in its framing ({@code "\\ud800"} in JSON, which
 * validation accepts): every encoder and the batch framing write it as '?', and never throw.
 */
class MalformedFramingTest {

    private static final String LONE_HIGH = "\\ud800";
    private static final String LONE_LOW = "\\udc00";

    @Test
    void ndjsonWritesALoneSurrogateInItsFramingAsAQuestionMark() {
        RecordEncoder encoder =
                RecordEncoder.forOptions(
                        options(
                                "{'field_names':['EdgeResponseStatus','ClientIP'],"
                                        + "'record_prefix':'"
                                        + LONE_LOW
                                        + "{','field_delimiter':'"
                                        + LONE_HIGH
                                        + "','record_suffix':'}"
                                        + LONE_HIGH
                                        + "\\n'}"));

        String record =
                new String(
                        encoder.encode(TestEvents.event("acme", TestEvents.T0_MICROS, 200)),
                        StandardCharsets.UTF_8);

        assertThat(record).isEqualTo("?{\"EdgeResponseStatus\":200?\"ClientIP\":\"192.0.2.7\"}?\n");
    }

    @Test
    void csvAndBatchFramingWriteItAsAQuestionMarkToo() {
        var csv =
                options(
                        "{'output_type':'csv','field_names':['EdgeResponseStatus','ClientIP'],"
                                + "'field_delimiter':'"
                                + LONE_HIGH
                                + "','batch_prefix':'"
                                + LONE_LOW
                                + "'}");

        byte[] record =
                RecordEncoder.forOptions(csv)
                        .encode(TestEvents.event("acme", TestEvents.T0_MICROS, 200));

        assertThat(new String(record, StandardCharsets.UTF_8)).isEqualTo("200?192.0.2.7\n");
        assertThat(BatchFraming.forOptions(csv).prefix()).containsExactly('?');
    }
}
