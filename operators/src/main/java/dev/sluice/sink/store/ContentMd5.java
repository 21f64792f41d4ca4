package dev.sluice.sink.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Content-MD5} header of a request body: S3 rejects a body that does not match it. */
public final class ContentMd5 {

    private ContentMd5() {}

    /** Base64 of the MD5 of {@code body}'s first {@code length} bytes. */
    public static String of(byte[] body, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(body, 0, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
