package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
