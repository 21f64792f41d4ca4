package dev.sluice.sink;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectCommittableSerializerTest {

    /**
     * The committable whose version-1 bytes are kept in src/test/resources; version 1 had no
     * manifest, so it reads back with one that knows only the key, length and records.
     */
    static final ObjectCommittable FIXTURE_V1 =
            ObjectCommittable.staged(
                    "s3://logs/acme/{DATE}?region=us-east-1",
                    "acme/20241114/20241114T101500Z_20241114T101559Z_42-7.log.gz",
                    "upload-1",
                    List.of("\"etag-1\"", "\"etag-2\""),
                    12_345_678L,
                    100_000L);

    /** The committable whose version-2 bytes are kept in src/test/resources. */
    static final ObjectCommittable FIXTURE =
            ObjectCommittable.staged(
                    "s3://logs/acme/{DATE}?region=us-east-1",
                    "acme/20241114/20241114T101500Z_20241114T101559Z_42-7.log.zst",
                    "upload-1",
                    List.of("\"etag-1\"", "\"etag-2\""),
                    12_345_678L,
                    100_000L,
                    new BatchManifest(
                            42,
                            7,
                            "acme/20241114/20241114T101500Z_20241114T101559Z_42-7.log.zst",
                            100_000L,
                            98_765_432L,
                            12_345_678L,
                            1_731_579_300_000_000L,
                            1_731_579_359_000_000L,
                            "zstd",
                            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                            "BYTES",
                            700_000L,
                            20_000L,
                            3_000L,
                            700_000L));

    /** The whole object whose version-3 bytes are kept in src/test/resources. */
    static final ObjectCommittable FIXTURE_WHOLE =
            ObjectCommittable.whole(
                    "s3://logs/acme/{DATE}?region=us-east-1",
                    "acme/20241114/20241114T101500Z_20241114T101559Z_42-8.log.gz",
                    new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3},
                    new BatchManifest(
                            42,
                            8,
                            "acme/20241114/20241114T101500Z_20241114T101559Z_42-8.log.gz",
                            3L,
                            1_200L,
                            7L,
                            1_731_579_300_000_000L,
                            1_731_579_359_000_000L,
                            "gzip",
                            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                            "INTERVAL",
                            700_003L,
                            20_000L,
                            3_000L,
                            700_003L));

    /**
     * A staged batch parked by the writer, whose version-4 bytes are kept in src/test/resources.
     */
    static final ObjectCommittable FIXTURE_PARKED =
            FIXTURE.parked(
                    "s3://park/held?region=us-east-1",
                    "held/" + FIXTURE.key(),
                    "completing failed: 403 Access Denied");

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
        java.nio.file.Files.write(dir.resolve("whole.bin"), serializer.serialize(FIXTURE_WHOLE));
        java.nio.file.Files.write(dir.resolve("parked.bin"), serializer.serialize(FIXTURE_PARKED));
    }

    @Test
    void readsCommittablesWrittenByVersion4() throws IOException {
        try (InputStream parked =
                getClass().getResourceAsStream("/object-committable-v4/parked.bin")) {
            ObjectCommittable read = serializer.deserialize(4, parked.readAllBytes());
            assertThat(read).isEqualTo(FIXTURE_PARKED);
            assertThat(read.isParked()).isTrue();
            assertThat(read.parkedReason()).isEqualTo("completing failed: 403 Access Denied");
            assertThat(read.manifest().key()).isEqualTo("held/" + FIXTURE.key());
        }
        try (InputStream staged =
                        getClass().getResourceAsStream("/object-committable-v4/committable.bin");
                InputStream whole =
                        getClass().getResourceAsStream("/object-committable-v4/whole.bin")) {
            assertThat(serializer.deserialize(4, staged.readAllBytes())).isEqualTo(FIXTURE);
            assertThat(serializer.deserialize(4, whole.readAllBytes())).isEqualTo(FIXTURE_WHOLE);
        }
    }

    @Test
    void aParkedReasonIsStoredWithoutCredentials() {
        ObjectCommittable parked =
                FIXTURE.parked("s3://park", "k", "s3://b?secret-access-key=s3cr3t: 403");

        assertThat(parked.parkedReason()).doesNotContain("s3cr3t");
        assertThat(FIXTURE.isParked()).isFalse();
    }

    @Test
    void roundTrips() throws IOException {
        byte[] bytes = serializer.serialize(FIXTURE);

        assertThat(serializer.deserialize(serializer.getVersion(), bytes)).isEqualTo(FIXTURE);
    }

    @Test
    void roundTripsAWholeObjectWithItsBytes() throws IOException {
        ObjectCommittable read =
                serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(FIXTURE_WHOLE));

        assertThat(read).isEqualTo(FIXTURE_WHOLE);
        assertThat(read.isWhole()).isTrue();
        assertThat(read.body()).containsExactly(0x1f, 0x8b, 8, 0, 1, 2, 3);
    }

    @Test
    void readsCommittablesWrittenByVersion3() throws IOException {
        try (InputStream staged =
                        getClass().getResourceAsStream("/object-committable-v3/committable.bin");
                InputStream whole =
                        getClass().getResourceAsStream("/object-committable-v3/whole.bin")) {
            ObjectCommittable read = serializer.deserialize(3, staged.readAllBytes());
            assertThat(read).isEqualTo(FIXTURE);
            assertThat(read.isWhole()).isFalse();
            assertThat(serializer.deserialize(3, whole.readAllBytes())).isEqualTo(FIXTURE_WHOLE);
        }
    }

    @Test
    void readsCommittablesWrittenByVersion1() throws IOException {
        try (InputStream in =
                getClass().getResourceAsStream("/object-committable-v1/committable.bin")) {
            ObjectCommittable read = serializer.deserialize(1, in.readAllBytes());

            assertThat(read).isEqualTo(FIXTURE_V1);
            assertThat(read.manifest().jobId()).isEqualTo(42);
            assertThat(read.manifest().seq()).isEqualTo(7);
        }
    }

    @Test
    void readsCommittablesWrittenByVersion2() throws IOException {
        try (InputStream in =
                getClass().getResourceAsStream("/object-committable-v2/committable.bin")) {
            assertThat(serializer.deserialize(2, in.readAllBytes())).isEqualTo(FIXTURE);
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
                ObjectCommittable.staged(
                        "s3://logs/x?secret-access-key=s3cr3t", "k", "u", List.of(), 1, 1);

        assertThat(c.toString()).doesNotContain("s3cr3t").contains("secret-access-key=***");
    }
}
