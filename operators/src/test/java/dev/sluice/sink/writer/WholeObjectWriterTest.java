package dev.sluice.sink.writer;

import dev.sluice.config.Destination;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.TestBatches;
import dev.sluice.sink.store.FileObjectStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.sluice.sink.TestBatches.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches up to the whole-object size are handed over whole: nothing is staged, the committable
 * carries the bytes, and a checkpoint takes a bounded share of them.
 */
class WholeObjectWriterTest {

    private static final int MAX = 1024;

    @TempDir Path dir;

    private ObjectSinkWriter writer() {
        return TestWriters.unparked(false, MAX);
    }

    private String conf() {
        return "file://" + dir.toAbsolutePath() + "/acme";
    }

    /** A batch of {@code sizes.length} chunks of those sizes, as the buffer emits it. */
    private List<BatchChunk> batch(long seq, int... sizes) {
        byte[][] data = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            data[i] = new byte[sizes[i]];
            Arrays.fill(data[i], (byte) ('a' + seq % 26));
        }
        return TestBatches.batch(conf(), 1, seq, data);
    }

    private long filesUnder(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aSmallBatchIsCarriedWholeAndNothingIsStaged() throws Exception {
        try (ObjectSinkWriter w = writer()) {
            List<BatchChunk> small = batch(0, 100);
            List<BatchChunk> twoChunks = batch(1, 300, 200);
            write(w, small);
            write(w, twoChunks);
            write(w, batch(2, MAX + 1));
            write(w, batch(3, 600, 600));

            List<ObjectCommittable> ready = List.copyOf(w.prepareCommit());

            assertThat(ready)
                    .extracting(ObjectCommittable::isWhole)
                    .as("up to the whole-object size: whole, in one chunk or more; larger: staged")
                    .containsExactly(true, true, false, false);
            ObjectCommittable whole = ready.get(0);
            assertThat(whole.body()).isEqualTo(small.get(0).data);
            assertThat(whole.length()).isEqualTo(100);
            assertThat(whole.manifest().objectBytes()).isEqualTo(100);
            assertThat(whole.manifest().sha256()).hasSize(64);
            assertThat(whole.manifest().records()).isEqualTo(1);
            assertThat(ready.get(1).body())
                    .as("the chunks one after another: members of one gzip file")
                    .hasSize(500)
                    .startsWith(twoChunks.get(0).data)
                    .endsWith(twoChunks.get(1).data);
            assertThat(filesUnder(dir))
                    .as("only the two staged batches wrote anything before the commit")
                    .isEqualTo(2);
            ObjectCommittable outgrown = ready.get(3);
            assertThat(outgrown.length())
                    .as("a batch staged once it outgrew the size keeps every chunk")
                    .isEqualTo(1200);
            Destination d = Destination.parse(outgrown.destination());
            new FileObjectStore().commit(d, outgrown);
            assertThat(Files.size(Path.of("/" + outgrown.key()))).isEqualTo(1200);
        }
    }

    @Test
    void aCheckpointTakesABoundedShareOfWholeObjectsAndStagesTheRest() throws Exception {
        int perCheckpoint = (int) (SinkSettings.MAX_WHOLE_BYTES_PER_CHECKPOINT / MAX);
        try (ObjectSinkWriter w = writer()) {
            for (int seq = 0; seq <= perCheckpoint; seq++) {
                write(w, batch(seq, MAX));
            }
            List<ObjectCommittable> first = List.copyOf(w.prepareCommit());
            write(w, batch(perCheckpoint + 1, MAX));
            List<ObjectCommittable> second = List.copyOf(w.prepareCommit());

            assertThat(first).hasSize(perCheckpoint + 1);
            assertThat(first.subList(0, perCheckpoint)).allMatch(ObjectCommittable::isWhole);
            assertThat(first.get(perCheckpoint).isWhole())
                    .as("past the checkpoint's share: staged")
                    .isFalse();
            assertThat(second)
                    .singleElement()
                    .as("the next checkpoint has its own share")
                    .matches(ObjectCommittable::isWhole);
        }
    }
}
