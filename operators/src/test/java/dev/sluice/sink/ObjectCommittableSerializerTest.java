package dev.sluice.sink;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectCommittableSerializerTest {

    /** The committable whose version-1 bytes are kept in src/test/resources. */
    static final ObjectCommittable FIXTURE =
            new ObjectCommittable(
                    "s3://logs/acme/{DATE}?region=us-east-1",
                    "acme/20241114/20241114T101500Z_20241114T101559Z_42-7.log.gz",
                    "upload-1",
                    List.of("\"etag-1\"", "\"etag-2\""),
                    12_345_678L,
                    100_000L);

    private final ObjectCommittableSerializer serializer = new ObjectCommittableSerializer();

    /**
     * Writes the fixture of the current version; run once per new version and commit the file
     * beside the older ones: {@code java -cp … ObjectCommittableSerializerTest DIR}.
     */
    public static void main(String[] args) throws IOException {
        ObjectCommittableSerializer serializer = new ObjectCommittableSerializer();
        java.nio.file.Path dir =
                java.nio.file.Path.of(args[0], "object-committable-v" + serializer.getVersion());
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve("committable.bin"), serializer.serialize(FIXTURE));
    }

    @Test
    void roundTrips() throws IOException {
        byte[] bytes = serializer.serialize(FIXTURE);

        assertThat(serializer.deserialize(serializer.getVersion(), bytes)).isEqualTo(FIXTURE);
    }

    @Test
    void readsCommittablesWrittenByVersion1() throws IOException {
        try (InputStream in =
                getClass().getResourceAsStream("/object-committable-v1/committable.bin")) {
            assertThat(serializer.deserialize(1, in.readAllBytes())).isEqualTo(FIXTURE);
        }
    }

    @Test
    void rejectsUnknownVersionsWithAClearMessage() {
        assertThatThrownBy(() -> serializer.deserialize(9, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 9")
                .hasMessageContaining("newer Sluice");
    }

    @Test
    void printsWithoutCredentials() {
        ObjectCommittable c =
                new ObjectCommittable(
                        "s3://logs/x?secret-access-key=s3cr3t", "k", "u", List.of(), 1, 1);

        assertThat(c.toString()).doesNotContain("s3cr3t").contains("secret-access-key=***");
    }
}
