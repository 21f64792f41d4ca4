package dev.sluice.config;

import java.util.Optional;

/**
 * A job's object codec, {@code output_options.compression}. Each codec's objects are concatenations
 * of independent members (gzip) or frames (zstd), which is what lets the buffer compress a batch
 * chunk by chunk and still deliver one valid file.
 */
public enum Compression implements JsonNamed {
    GZIP("gzip", ".log.gz", "application/gzip"),
    ZSTD("zstd", ".log.zst", "application/zstd");

    private final String jsonName;
    private final String keySuffix;
    private final String contentType;

    Compression(String jsonName, String keySuffix, String contentType) {
        this.jsonName = jsonName;
        this.keySuffix = keySuffix;
        this.contentType = contentType;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    /** The object key's ending, e.g. {@code .log.gz}. */
    public String keySuffix() {
        return keySuffix;
    }

    public String contentType() {
        return contentType;
    }

    public static Optional<Compression> find(String name) {
        return JsonNamed.find(values(), name);
    }

    /** The codec a stored name denotes; the empty name of older state is gzip. */
    public static Compression ofStored(String name) {
        return name == null || name.isEmpty() ? GZIP : find(name).orElse(GZIP);
    }

    public static String names() {
        return JsonNamed.names(values());
    }
}
