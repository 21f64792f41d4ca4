package dev.sluice.testing;

import dev.sluice.config.OutputOptions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Output options read from JSON, as a config snapshot carries them; single quotes allowed. */
public final class TestOutputOptions {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES);

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
