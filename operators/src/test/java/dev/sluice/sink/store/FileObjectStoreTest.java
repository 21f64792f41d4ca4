package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Local files with the two phases of S3, and the whole-object reads and writes of a redrive. */
class FileObjectStoreTest {

    private static final long T = 1_731_579_300_000_000L;
    private static final byte[] BODY = "payload".getBytes(StandardCharsets.UTF_8);

    @TempDir Path dir;

    private final FileObjectStore store = new FileObjectStore();

    private Destination destination() {
        return Destination.parse("file://" + dir.toAbsolutePath() + "/acme/{DATE}");
    }

    private String key(long seq) {
        return ObjectKeys.keyFor(destination(), 5, seq, T, T);
    }

    @Test
    void stagedBytesAreInvisibleUntilCommitted() throws Exception {
        ObjectCommittable c = store.stage("conf", destination(), key(0), BODY, 1);
        Path target = Path.of("/" + c.key());
        assertThat(target).doesNotExist();

        assertThat(store.commit(destination(), c)).isEqualTo(CommitOutcome.COMMITTED);

        assertThat(target).hasBinaryContent(BODY);
        assertThat(store.commit(destination(), c)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
    }

    @Test
    void aCommitWhoseBytesVanishedIsAnIntegrityFailure() throws Exception {
        ObjectCommittable c = store.stage("conf", destination(), key(0), BODY, 1);
        Files.delete(Path.of("/" + c.key()).resolveSibling(c.uploadId()));

        assertThatThrownBy(() -> store.commit(destination(), c))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void abortsOnlyLeftoversAtOrAfterTheRestoredSequence() throws Exception {
        store.stage("conf", destination(), key(0), BODY, 1);
        store.stage("conf", destination(), key(1), BODY, 1);
        store.stage("conf", destination(), key(2), BODY, 1);

        assertThat(store.abortStale(destination(), 5, 1)).isEqualTo(2);

        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .singleElement()
                    .satisfies(name -> assertThat(name).contains("_5-0.log.gz.inprogress."));
        }
    }

    private String keyOf(String relative) {
        return dir.toAbsolutePath().toString().substring(1) + "/" + relative;
    }

    private void write(String key, byte[] body, long length) throws IOException {
        store.write(
                destination(), key, new ByteArrayInputStream(body), length, "text/plain", Map.of());
    }

    private long filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aWriteReplacesTheObjectWholeAndLeavesNoTempFile() throws Exception {
        String key = keyOf("acme/a.log.gz");
        write(key, "first".getBytes(StandardCharsets.UTF_8), 5);
        write(key, BODY, BODY.length);

        assertThat(Path.of("/" + key)).hasBinaryContent(BODY);
        assertThat(filesUnder(dir)).isEqualTo(1);
    }

    @Test
    void aPutIsAWholeObjectToo() throws Exception {
        String key = keyOf("acme/manifest.json");
        store.put(destination(), key, BODY, "application/json");

        assertThat(Path.of("/" + key)).hasBinaryContent(BODY);
        assertThat(filesUnder(dir)).isEqualTo(1);
    }

    @Test
    void aSourceShorterOrLongerThanItsLengthLeavesNothingBehind() throws Exception {
        String key = keyOf("acme/a.log.gz");

        assertThatThrownBy(() -> write(key, new byte[99], 100))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended after 99 of 100 bytes");
        assertThatThrownBy(() -> write(key, new byte[101], 100))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than 100 bytes");

        assertThat(Path.of("/" + key)).doesNotExist();
        assertThat(filesUnder(dir)).isZero();
    }

    @Test
    void listsTheObjectsUnderAPrefixWithoutStagedOnes() throws Exception {
        write(keyOf("acme/x/a.log.gz"), BODY, BODY.length);
        write(keyOf("acme/x/deeper/b.log.gz"), BODY, BODY.length);
        write(keyOf("acme/xy/c.log.gz"), BODY, BODY.length);
        store.begin(destination(), keyOf("acme/x/staged.log.gz"), "text/plain", Map.of());

        assertThat(store.list(destination(), keyOf("acme/x/")))
                .extracting(ListedObject::key, ListedObject::length)
                .containsExactlyInAnyOrder(
                        tuple(keyOf("acme/x/a.log.gz"), (long) BODY.length),
                        tuple(keyOf("acme/x/deeper/b.log.gz"), (long) BODY.length));
        assertThat(store.list(destination(), keyOf("acme/x")))
                .extracting(ListedObject::key)
                .contains(keyOf("acme/xy/c.log.gz"));
        assertThat(store.list(destination(), keyOf("nothing/"))).isEmpty();
    }

    @Test
    void headsReadsAndDeletesAnObject() throws Exception {
        String key = keyOf("acme/a.log.gz");
        write(key, BODY, BODY.length);

        assertThat(store.head(destination(), key))
                .contains(new ObjectHead(BODY.length, Optional.empty(), Map.of()));
        try (InputStream in = store.read(destination(), key)) {
            assertThat(in.readAllBytes()).isEqualTo(BODY);
        }
        store.delete(destination(), key);
        store.delete(destination(), key);

        assertThat(store.head(destination(), key)).isEmpty();
        assertThat(store.location(destination(), key)).isEqualTo("/" + key);
        assertThat(store.keepsMetadata()).isFalse();
    }
}
