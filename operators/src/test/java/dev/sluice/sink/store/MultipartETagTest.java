package dev.sluice.sink.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MultipartETagTest {

    private static String md5Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void isTheMd5OfThePartMd5sWithThePartCount() throws Exception {
        byte[] a = "part one".getBytes(StandardCharsets.UTF_8);
        byte[] b = "part two".getBytes(StandardCharsets.UTF_8);
        MessageDigest outer = MessageDigest.getInstance("MD5");
        outer.update(MessageDigest.getInstance("MD5").digest(a));
        outer.update(MessageDigest.getInstance("MD5").digest(b));
        String expected = HexFormat.of().formatHex(outer.digest()) + "-2";

        assertThat(MultipartETag.of(List.of("\"" + md5Hex(a) + "\"", "\"" + md5Hex(b) + "\"")))
                .contains(expected);
        assertThat(MultipartETag.comparable("\"" + expected + "\"")).isTrue();
    }

    @Test
    void comparesNothingWhenTheStoreUsesOtherETags() {
        assertThat(MultipartETag.of(List.of("\"kms-opaque-etag\""))).isEmpty();
        assertThat(MultipartETag.of(List.of())).isEmpty();
        assertThat(MultipartETag.comparable("\"0123456789abcdef0123456789abcdef\"")).isFalse();
        assertThat(MultipartETag.comparable(null)).isFalse();
    }
}
