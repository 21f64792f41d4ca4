package dev.sluice.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads gzip objects back, as a consumer of the delivered logs would. */
public final class Gzip {

    private Gzip() {}

    /** The NDJSON lines of a gzip object; fails on a truncated or corrupt stream. */
    public static List<String> lines(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new IllegalStateException("object does not end with a complete line");
            }
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
