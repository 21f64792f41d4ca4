package dev.sluice.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The form in which broadcast state keeps the merged config ({@link VersionedConfig}): {@value
 * #PREFIX} and the Base64 of its JSON ({@code version}, {@code floor}, {@code entries}) compressed
 * with zstd.
 *
 * <p>Why compressed: every subtask of an operator with broadcast state holds the value and writes
 * it into every checkpoint. As plain JSON a million jobs took 1.6 GB, once per subtask per
 * checkpoint; the jobs' JSON repeats itself (field names, output options, destinations that differ
 * in a customer id), so zstd keeps a small fraction of it. Base64 because the state's values are
 * Strings, and an ASCII String costs one byte a character on the heap and in a checkpoint.
 *
 * <p>Earlier versions stored the JSON itself, with every live job twice ({@code jobs} and {@code
 * entries}); {@link #read} still takes it, so their savepoints restore. A savepoint written in this
 * form does not restore into those versions: they fail to start on it, they never run without it.
 */
public final class ConfigStateCodec {

    static final String PREFIX = "zstd+base64:";

    /** zstd's default: at a million jobs it compresses in seconds, once per config in a JVM. */
    private static final int LEVEL = 3;

    private static final ObjectMapper MAPPER = VersionedConfig.MAPPER;

    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    private ConfigStateCodec() {}

    /** The stored form of {@code config}. */
    public static String write(VersionedConfig config) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(PREFIX_BYTES);
        // Streamed JSON -> zstd -> Base64: the plain JSON is never held whole.
        try (OutputStream zstd =
                new ZstdOutputStreamNoFinalizer(Base64.getEncoder().wrap(bytes), LEVEL)) {
            MAPPER.writeValue(zstd, config);
        } catch (IOException e) {
            throw new IllegalStateException("config state cannot be written", e);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    /**
     * The config a stored value holds, in this form or as the plain JSON of earlier versions.
     *
     * @throws InvalidConfigException when the value is neither, or does not decode
     */
    public static VersionedConfig read(String stored) throws InvalidConfigException {
        if (!stored.startsWith(PREFIX)) {
            return VersionedConfig.fromStoredJson(stored);
        }
        byte[] ascii = stored.getBytes(StandardCharsets.US_ASCII);
        InputStream base64 =
                new ByteArrayInputStream(
                        ascii, PREFIX_BYTES.length, ascii.length - PREFIX_BYTES.length);
        try (InputStream json = new ZstdInputStreamNoFinalizer(Base64.getDecoder().wrap(base64))) {
            return MAPPER.readValue(json, VersionedConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException(
                    List.of("stored config state is unreadable: " + e.getMessage()));
        }
    }
}
