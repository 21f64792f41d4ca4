package dev.sluice.encode;

import dev.sluice.schemas.LogEvent;
import dev.sluice.testing.TestEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.sluice.testing.TestOutputOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

class BatchFramingTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String batch(BatchFraming framing, List<byte[]> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        framing.writeBatch(out, records);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addsNothingByDefaultForEitherOutputType() throws IOException {
        for (String type : List.of("ndjson", "csv")) {
            BatchFraming framing =
                    BatchFraming.forOptions(options("{'output_type':'" + type + "'}"));

            assertThat(framing.isEmpty()).isTrue();
            assertThat(framing.prefix()).isEmpty();
            assertThat(framing.suffix()).isEmpty();
            assertThat(framing.recordDelimiter()).isEmpty();
            assertThat(framing.overheadBytes(1000)).isZero();
            assertThat(batch(framing, List.of(utf8("a\n"), utf8("b\n")))).isEqualTo("a\nb\n");
        }
    }

    @Test
    void exposesEachCustomPieceAsUtf8() {
        BatchFraming framing =
                BatchFraming.forOptions(
                        options(
                                "{'batch_prefix':'«','batch_suffix':'»\\n',"
                                        + "'record_delimiter':'\\u001e'}"));

        assertThat(framing.isEmpty()).isFalse();
        assertThat(framing.prefix()).isEqualTo(utf8("«"));
        assertThat(framing.suffix()).isEqualTo(utf8("»\n"));
        assertThat(framing.recordDelimiter()).containsExactly(0x1e);
    }

    @Test
    void putsTheRecordDelimiterOnlyBetweenRecords() throws IOException {
        BatchFraming framing =
                BatchFraming.forOptions(
                        options("{'batch_prefix':'<','batch_suffix':'>','record_delimiter':'|'}"));

        assertThat(batch(framing, List.of())).isEqualTo("<>");
        assertThat(batch(framing, List.of(utf8("a")))).isEqualTo("<a>");
        assertThat(batch(framing, List.of(utf8("a"), utf8("b"), utf8("c")))).isEqualTo("<a|b|c>");
    }

    @Test
    void countsTheBytesItAdds() {
        BatchFraming framing =
                BatchFraming.forOptions(
                        options(
                                "{'batch_prefix':'[','batch_suffix':']\\n',"
                                        + "'record_delimiter':', '}"));

        assertThat(framing.overheadBytes(0)).isEqualTo(3);
        assertThat(framing.overheadBytes(1)).isEqualTo(3);
        assertThat(framing.overheadBytes(4)).isEqualTo(3 + 3 * 2);
    }

    @Test
    void handsOutCopiesSoCallersCannotChangeTheFraming() {
        BatchFraming framing = BatchFraming.forOptions(options("{'batch_prefix':'['}"));

        framing.prefix()[0] = 'X';

        assertThat(framing.prefix()).isEqualTo(utf8("["));
    }

    @Test
    void makesEachObjectOneJsonArrayWithRecordOptions() throws IOException {
        String json =
                "{'field_names':['EdgeResponseStatus'],'record_suffix':'}',"
                        + "'record_delimiter':',','batch_prefix':'[','batch_suffix':']'}";
        RecordEncoder encoder = RecordEncoder.forOptions(options(json));
        BatchFraming framing = BatchFraming.forOptions(options(json));
        List<LogEvent> events =
                List.of(
                        TestEvents.event("acme", TestEvents.T0_MICROS, 200),
                        TestEvents.event("acme", TestEvents.T0_MICROS, 404));

        String body = batch(framing, events.stream().map(encoder::encode).toList());

        assertThat(body).isEqualTo("[{\"EdgeResponseStatus\":200},{\"EdgeResponseStatus\":404}]");
        JsonNode array = new ObjectMapper().readTree(body);
        assertThat(array.isArray()).isTrue();
        assertThat(array.get(1).get("EdgeResponseStatus").intValue()).isEqualTo(404);
    }
}
