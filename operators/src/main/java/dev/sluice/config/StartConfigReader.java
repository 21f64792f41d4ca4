package dev.sluice.config;

import org.apache.flink.api.common.cache.DistributedCache;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads start configs as streams, hashing every byte read: at submission to validate a file and
 * take its hash, in a task to parse the file and check that it is the one submitted. A start config
 * is never held as a String as well as parsed.
 */
public final class StartConfigReader {

    private StartConfigReader() {}

    /**
     * Validates a start config and returns the SHA-256 of all of its bytes, for {@link
     * StartConfig#cachedFile}.
     */
    public static String validate(InputStream in) throws InvalidConfigException, IOException {
        return check(in).sha256();
    }

    /**
     * A start config as submitted: the SHA-256 of its bytes, and what {@code
     * sluice.config.inline-credentials: reject} says of it (empty: nothing written inline).
     */
    public record Checked(String sha256, Optional<String> inlineCredentialsRefusal) {}

    /** Validates a start config, takes its hash, and notes whether it writes a secret inline. */
    public static Checked check(InputStream in) throws InvalidConfigException, IOException {
        Hashed read = parse(in);
        return new Checked(read.sha256, InlineCredentials.refusal(read.valid()));
    }

    /**
     * Reads, checks and parses a start config in a task. A file whose hash differs from the one
     * taken at submission fails, whatever it holds.
     */
    static ParsedStartConfig read(StartConfig start, DistributedCache files)
            throws InvalidConfigException, IOException {
        Hashed read;
        try (InputStream in = start.open(files)) {
            read = parse(in);
        }
        if (!read.sha256.equals(start.sha256())) {
            throw new IllegalStateException(
                    start
                            + " has SHA-256 "
                            + read.sha256
                            + ", not "
                            + start.sha256()
                            + " as validated at submission: the file changed after it was"
                            + " submitted; submit the job again");
        }
        return ParsedStartConfig.of(read.valid());
    }

    /** Lowercase hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /**
     * The parse result with the hash of every byte, also those after the snapshot: the hash is
     * known even when the bytes are not a valid config, so a changed file reads as changed rather
     * than as invalid.
     */
    private record Hashed(ConfigSnapshot snapshot, InvalidConfigException invalid, String sha256) {

        ConfigSnapshot valid() throws InvalidConfigException {
            if (invalid != null) {
                throw invalid;
            }
            return snapshot;
        }
    }

    private static Hashed parse(InputStream in) throws IOException {
        MessageDigest digest = newSha256();
        DigestInputStream hashing =
                new DigestInputStream(new BufferedInputStream(in, 1 << 16), digest);
        ConfigSnapshot snapshot = null;
        InvalidConfigException invalid = null;
        try {
            snapshot = ConfigParser.parse(hashing);
        } catch (InvalidConfigException e) {
            invalid = e;
        }
        hashing.transferTo(OutputStream.nullOutputStream());
        return new Hashed(snapshot, invalid, HexFormat.of().formatHex(digest.digest()));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
