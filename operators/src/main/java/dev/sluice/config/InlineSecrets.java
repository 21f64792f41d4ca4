package dev.sluice.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys written inline in a {@code destination_conf} never go further than the JVM that read them.
 * When a job is read, its inline {@code access-key-id}, {@code secret-access-key} and {@code
 * session-token} are taken out of the conf and kept in this JVM's memory under a digest of them,
 * and the conf names that instead: {@code credentials=inline-<digest>}. So state, checkpoints,
 * savepoints, committables, logs and object metadata hold the reference only.
 *
 * <p>The secret comes back with the config it came with: every start reads the start config and the
 * config topic again, and a restored savepoint of an earlier build, whose state still holds keys,
 * hands them over the same way (its next savepoint holds none). A request for an inline credential
 * this JVM has not read fails that job's request only: its batch is parked, to be redriven. {@code
 * inline-} names are reserved for this.
 */
public final class InlineSecrets {

    /** The prefix of the references this class makes. */
    public static final String PREFIX = "inline-";

    /** The keys of one inline credential. */
    public record Keys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        /** Never the keys. */
        @Override
        public String toString() {
            return "Keys[***]";
        }
    }

    private static final Map<String, Keys> KNOWN = new ConcurrentHashMap<>();

    private InlineSecrets() {}

    /**
     * {@code conf} with its inline keys replaced by a reference to them, kept in this JVM; {@code
     * conf} itself when it has none, or anything the review would refuse (half a key pair, keys
     * beside a {@code credentials=}, a conf that is not one).
     */
    public static String takeInline(String conf) {
        if (conf == null) {
            return null;
        }
        int query = conf.indexOf('?');
        if (query < 0) {
            return conf;
        }
        List<String> kept = new ArrayList<>();
        String keyId = null;
        String secret = null;
        String token = null;
        for (String pair : conf.substring(query + 1).split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            switch (name) {
                case "access-key-id" -> keyId = decode(value);
                case "secret-access-key" -> secret = decode(value);
                case "session-token" -> token = decode(value);
                case "credentials" -> {
                    return conf;
                }
                default -> kept.add(pair);
            }
        }
        if (keyId == null || secret == null) {
            return conf;
        }
        Keys keys = new Keys(keyId, secret, Optional.ofNullable(token));
        String name = PREFIX + digest(keys);
        KNOWN.put(name, keys);
        kept.add("credentials=" + name);
        return conf.substring(0, query + 1) + String.join("&", kept);
    }

    /** The keys of an inline reference, if this JVM has read the config that carried them. */
    public static Optional<Keys> lookup(String reference) {
        return Optional.ofNullable(KNOWN.get(reference));
    }

    public static boolean isInlineReference(String reference) {
        return reference.startsWith(PREFIX);
    }

    /**
     * 64 bits of SHA-256 over the keys: tells configs apart, says nothing of a secret of AWS's 240
     * random bits.
     */
    private static String digest(Keys keys) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(keys.accessKeyId().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(keys.secretAccessKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(keys.sessionToken().orElse("").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
