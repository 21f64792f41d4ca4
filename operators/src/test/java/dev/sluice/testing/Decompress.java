package dev.sluice.testing;

import dev.sluice.config.Compression;

import com.github.luben.zstd.ZstdInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/** Reads an object of either codec back to its bytes, concatenated members or frames included. */
public final class Decompress {

    private Decompress() {}

    /** The uncompressed bytes; fails on a truncated or corrupt stream. */
    public static byte[] bytes(Compression codec, byte[] object) {
        ByteArrayInputStream in = new ByteArrayInputStream(object);
        try (InputStream plain =
                codec == Compression.ZSTD ? new ZstdInputStream(in) : new GZIPInputStream(in)) {
            return plain.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
