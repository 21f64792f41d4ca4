package dev.sluice.config;

import dev.sluice.testing.TestOutputOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JobValidatorTest {

    private static final String FIELDS = "'field_names':['ClientIP']";

    /** Every prefix, suffix and delimiter of the output options. */
    private static final String[] FRAMING = {
        "record_prefix",
        "record_suffix",
        "record_delimiter",
        "field_delimiter",
        "batch_prefix",
        "batch_suffix"
    };

    private static List<String> problems(String outputOptionsJson) {
        DeliveryJob job =
                DeliveryJob.fromJson(
                        1,
                        "acme",
                        "http_requests",
                        true,
                        "s3://logs-bucket/acme",
                        TestOutputOptions.options(outputOptionsJson),
                        null,
                        null,
                        null,
                        null);
        return JobValidator.validate(job);
    }

    /** A prefix, suffix or delimiter of {@code length} characters. */
    private static String chars(int length) {
        return "x".repeat(length);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{'output_type':'ndjson'}",
                "{'output_type':'csv'," + FIELDS + "}",
                "{'compression':'gzip'}",
                "{'compression':'zstd'}",
                "{'sample_rate':1}",
                "{'sample_rate':0.0001}",
            })
    void acceptsOutputTypesCompressionsAndSampleRatesInZeroExclusiveToOneInclusive(String options) {
        assertThat(problems(options)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "{'output_type':'xml'}              | output_type 'xml' is not one of ndjson, csv",
                "{'output_type':'CSV',"
                        + FIELDS
                        + "} | output_type 'CSV' is not one of ndjson, csv",
                "{'compression':'lz4'}              | compression 'lz4' is not one of gzip, zstd",
                "{'output_type':'csv'}"
                        + " | field_names is empty: csv output needs the columns listed",
                "{'sample_rate':0}                  | sample_rate 0.0 is outside (0, 1]",
                "{'sample_rate':-0.5}               | sample_rate -0.5 is outside (0, 1]",
                "{'sample_rate':1.5}                | sample_rate 1.5 is outside (0, 1]",
            })
    void rejectsUnknownTypesAndCompressionsCsvWithoutFieldsAndOtherSampleRates(
            String options, String problem) {
        assertThat(problems(options)).containsExactly(problem);
    }

    @ParameterizedTest
    @FieldSource("FRAMING")
    void limitsEveryPrefixSuffixAndDelimiterTo256Characters(String field) {
        assertThat(problems("{'" + field + "':'" + chars(256) + "'}")).isEmpty();
        assertThat(problems("{'" + field + "':'" + chars(257) + "'}"))
                .containsExactly(field + " is 257 characters long, more than 256");
    }

    @Test
    void countsCharactersNotUtf16Units() {
        // 256 emoji are 512 UTF-16 units but 256 characters.
        assertThat(problems("{'batch_prefix':'" + "😀".repeat(256) + "'}")).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("FRAMING")
    void rejectsNulInEveryPrefixSuffixAndDelimiter(String field) {
        assertThat(problems("{'" + field + "':'a\\u0000b'}"))
                .containsExactly(field + " contains a NUL character");
    }

    @Test
    void reportsEveryOutputProblemWithItsJobThroughTheParser() {
        String json =
                "{\"version\":1,\"jobs\":[{\"id\":4,\"customer_id\":\"acme\","
                        + "\"dataset\":\"http_requests\","
                        + "\"destination_conf\":\"s3://logs-bucket/acme\","
                        + "\"output_options\":{\"output_type\":\"tsv\",\"sample_rate\":2,"
                        + "\"record_suffix\":\"\\u0000\",\"batch_prefix\":\""
                        + chars(300)
                        + "\"}}]}";

        InvalidConfigException e =
                catchThrowableOfType(InvalidConfigException.class, () -> ConfigParser.parse(json));

        assertThat(e.problems())
                .containsExactly(
                        "job 4: output_type 'tsv' is not one of ndjson, csv",
                        "job 4: sample_rate 2.0 is outside (0, 1]",
                        "job 4: record_suffix contains a NUL character",
                        "job 4: batch_prefix is 300 characters long, more than 256");
    }
}
