package dev.sluice.testing;

import dev.sluice.config.OutputOptions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Output options read from JSON, as a config snapshot carries them; single quotes allowed. */
public final class TestOutputOptions {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES);

    /** The keys of Logpush's {@code output_options}, every one Sluice reads and writes. */
    public static final List<String> KEYS =
            List.of(
                    "field_names",
                    "output_type",
                    "timestamp_format",
                    "sample_rate",
                    "record_prefix",
                    "record_suffix",
                    "record_delimiter",
                    "field_delimiter",
                    "batch_prefix",
                    "batch_suffix",
                    "compression",
                    "CVE-2021-44228");

    private TestOutputOptions() {}

    /** E.g. {@code options("{'output_type':'csv','field_names':['ClientIP']}")}. */
    public static OutputOptions options(String json) {
        try {
            return MAPPER.readValue(json, OutputOptions.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
