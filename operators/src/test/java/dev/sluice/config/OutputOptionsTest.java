package dev.sluice.config;

import dev.sluice.testing.TestOutputOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.testing.TestOutputOptions.options;
import static org.assertj.core.api.Assertions.assertThat;

class OutputOptionsTest {

    /** Record prefix and suffix, field and record delimiters, batch prefix and suffix. */
    private static List<String> framing(OutputOptions o) {
        return List.of(
                o.recordPrefix(),
                o.recordSuffix(),
                o.fieldDelimiter(),
                o.recordDelimiter(),
                o.batchPrefix(),
                o.batchSuffix());
    }

    @Test
    void defaultsToLogpushNdjson() {
        OutputOptions defaults = OutputOptions.defaults();

        assertThat(defaults).isEqualTo(options("{}"));
        assertThat(defaults.fieldNames()).isEmpty();
        assertThat(defaults.outputType()).isEqualTo("ndjson");
        assertThat(defaults.timestampFormat()).isEqualTo(TimestampFormat.UNIXNANO);
        assertThat(defaults.sampleRate()).isEqualTo(1.0);
        assertThat(defaults.cve202144228()).isFalse();
        assertThat(framing(defaults)).containsExactly("{", "}\n", ",", "", "", "");
    }

    @Test
    void takesCsvDefaultsForCsv() {
        OutputOptions csv = options("{'output_type':'csv'}");

        assertThat(framing(csv)).containsExactly("", "\n", ",", "", "", "");
    }

    @Test
    void letsExplicitValuesOverrideTheDefaultsEvenWhenEmpty() {
        OutputOptions options =
                options(
                        "{'record_prefix':'','record_suffix':'}',"
                                + "'field_delimiter':'\\t','record_delimiter':',',"
                                + "'batch_prefix':'[',"
                                + "'batch_suffix':']','sample_rate':0.25,'CVE-2021-44228':true,"
                                + "'field_names':['b','a'],'timestamp_format':'rfc3339'}");

        assertThat(framing(options)).containsExactly("", "}", "\t", ",", "[", "]");
        assertThat(options.sampleRate()).isEqualTo(0.25);
        assertThat(options.cve202144228()).isTrue();
        assertThat(options.fieldNames()).containsExactly("b", "a");
        assertThat(options.timestampFormat()).isEqualTo(TimestampFormat.RFC3339);
    }

    @Test
    void treatsJsonNullAsAbsent() {
        assertThat(options("{'record_prefix':null,'sample_rate':null,'CVE-2021-44228':null}"))
                .isEqualTo(OutputOptions.defaults());
    }

    @Test
    void writesLogpushKeysAndReadsItsOwnJsonBack() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        OutputOptions options =
                options(
                        "{'output_type':'csv','field_names':['ClientIP'],"
                                + "'record_suffix':'\\r\\n','sample_rate':0.5,"
                                + "'CVE-2021-44228':true}");

        String json = mapper.writeValueAsString(options);
        JsonNode tree = mapper.readTree(json);

        assertThat(tree.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrderElementsOf(TestOutputOptions.KEYS);
        assertThat(tree.get("compression").textValue()).isEqualTo("gzip");
        assertThat(tree.get("CVE-2021-44228").booleanValue()).isTrue();
        assertThat(tree.get("record_suffix").textValue()).isEqualTo("\r\n");
        assertThat(tree.get("timestamp_format").textValue()).isEqualTo("unixnano");
        assertThat(tree.get("field_names")).hasSize(1);
        assertThat(mapper.readValue(json, OutputOptions.class)).isEqualTo(options);
    }

    @Test
    void roundTripsEveryOptionThroughTheConfigParser() throws Exception {
        String json =
                "{\"version\":2,\"jobs\":[{\"id\":1,\"customer_id\":\"acme\","
                        + "\"dataset\":\"http_requests\","
                        + "\"destination_conf\":\"s3://logs-bucket/acme\","
                        + "\"output_options\":{\"output_type\":\"csv\","
                        + "\"field_names\":[\"ClientIP\"],"
                        + "\"record_prefix\":\"\",\"batch_prefix\":\"ip\\n\",\"sample_rate\":0.1,"
                        + "\"CVE-2021-44228\":true,\"timestamp_format\":\"unix\"}}]}";
        ConfigSnapshot snapshot = ConfigParser.parse(json);

        List<DeliveryJob> again = ConfigParser.parse(ConfigParser.toJson(snapshot)).jobs();

        assertThat(again).isEqualTo(snapshot.jobs());
        assertThat(again.get(0).outputOptions().batchPrefix()).isEqualTo("ip\n");
        assertThat(again.get(0).outputOptions().cve202144228()).isTrue();
    }
}
