package dev.sluice.sink.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ETag S3 gives a completed multipart upload: the MD5 of the parts' binary MD5s, then {@code
 * -<number of parts>}. Stores that encrypt with KMS or compute ETags otherwise report other forms;
 * then there is nothing to compare and only the length is checked.
 */
final class MultipartETag {

    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern MULTIPART = Pattern.compile("[0-9a-f]{32}-[0-9]+");

    private MultipartETag() {}

    /** The ETag the parts imply, if every part's ETag is a plain MD5. */
    static Optional<String> of(List<String> partETags) {
        if (partETags.isEmpty()) {
            return Optional.empty();
        }
        MessageDigest md5 = md5();
        for (String etag : partETags) {
            String hex = unquote(etag);
            if (!MD5_HEX.matcher(hex).matches()) {
                return Optional.empty();
            }
            md5.update(HexFormat.of().parseHex(hex));
        }
        return Optional.of(HexFormat.of().formatHex(md5.digest()) + "-" + partETags.size());
    }

    /** Whether the store reported a multipart ETag of the S3 form. */
    static boolean comparable(String etag) {
        return etag != null && MULTIPART.matcher(unquote(etag)).matches();
    }

    static String unquote(String etag) {
        String e = etag.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")
                ? e.substring(1, e.length() - 1).toLowerCase()
                : e.toLowerCase();
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
