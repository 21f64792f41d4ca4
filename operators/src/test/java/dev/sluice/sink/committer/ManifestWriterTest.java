package dev.sluice.sink.committer;

import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.store.ObjectStores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestWriterTest {

    @TempDir Path dir;

    @Test
    void writesOneJsonDocumentPerBatchUnderJobAndSequence() throws Exception {
        BatchManifest manifest =
                new BatchManifest(
                        42,
                        7,
                        "acme/x_42-7.log.gz",
                        10,
                        900,
                        120,
                        1,
                        2,
                        "gzip",
                        "ab",
                        "BYTES",
                        15,
                        3,
                        2,
                        10);
        try (ObjectStores stores = new ObjectStores()) {
            ManifestWriter writer = ManifestWriter.to("file://" + dir + "/manifests");
            writer.write(stores, manifest);
            writer.write(stores, manifest);
        }

        Path written = dir.resolve("manifests/42/7.json");
        JsonNode json = new ObjectMapper().readTree(Files.readString(written));
        assertThat(json.get("records").asLong()).isEqualTo(10);
        assertThat(json.get("records_filtered").asLong()).isEqualTo(3);
        assertThat(json.get("sha256").asText()).isEqualTo("ab");
        try (var files = Files.list(written.getParent())) {
            assertThat(files).containsExactly(written);
        }
    }

    @Test
    void noDestinationMeansNoManifests() {
        assertThat(ManifestWriter.to("")).isNull();
    }
}
