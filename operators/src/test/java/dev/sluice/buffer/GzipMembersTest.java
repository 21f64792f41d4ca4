package dev.sluice.buffer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Gzip members as the buffer writes them: libdeflate's where it loads, each a plain member. */
class GzipMembersTest {

    private static final byte[] LINES = lines(20_000);

    /** Fails when the native library stops loading here (packaging, the binding's platforms). */
    @Test
    void libdeflateLoadsOnTheBuildsPlatform() {
        try (GzipMembers gzip = GzipMembers.atLevel(1)) {
            assertThat(gzip.usesLibdeflate()).isTrue();
        }
    }

    @Test
    void everyLevelWritesOnePlainGzipMemberOfTheWholeInput() throws IOException {
        for (int level = 1; level <= 9; level++) {
            try (GzipMembers gzip = GzipMembers.atLevel(level)) {
                byte[] member = gzip.compress(LINES, LINES.length);

                assertThat(member).startsWith(0x1f, 0x8b, 8);
                assertThat(gunzip(member)).as("level %d", level).isEqualTo(LINES);
            }
        }
    }

    @Test
    void compressesOnlyTheGivenLengthOfAReusedBuffer() throws IOException {
        try (GzipMembers gzip = GzipMembers.atLevel(1)) {
            byte[] first = gzip.compress(LINES, LINES.length);
            byte[] shorter = gzip.compress(LINES, 1_000);

            assertThat(gunzip(shorter)).isEqualTo(java.util.Arrays.copyOf(LINES, 1_000));
            assertThat(gunzip(first)).isEqualTo(LINES);
        }
    }

    private static byte[] gunzip(byte[] member) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(member))) {
            return in.readAllBytes();
        }
    }

    private static byte[] lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("{\"ClientIP\":\"198.51.")
                    .append(i % 251)
                    .append('.')
                    .append(i * 7 % 253)
                    .append("\",\"EdgeResponseStatus\":")
                    .append(i % 17 == 0 ? 503 : 200)
                    .append(",\"RayID\":\"")
                    .append(Long.toHexString(i * 0x9E3779B97F4A7C15L))
                    .append("\"}\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
