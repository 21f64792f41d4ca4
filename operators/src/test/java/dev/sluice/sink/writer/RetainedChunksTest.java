package dev.sluice.sink.writer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Chunks kept for a move to the park store come back whole and in order, however many spill. */
class RetainedChunksTest {

    @Property(tries = 200)
    void replaysEveryChunkInOrderWhetherKeptInMemoryOrSpilled(
            @ForAll @Size(max = 20) List<@Size(max = 64) byte[]> chunks,
            @ForAll @IntRange(max = 256) int memoryLimit)
            throws Exception {
        List<byte[]> replayed = new ArrayList<>();
        try (RetainedChunks kept = new RetainedChunks(memoryLimit)) {
            for (byte[] chunk : chunks) {
                kept.add(chunk);
            }
            assertThat(kept.memoryBytes()).isLessThanOrEqualTo(memoryLimit);
            kept.replay(replayed::add);
        }
        assertThat(replayed).containsExactlyElementsOf(chunks);
    }

    @Property(tries = 20)
    void aSpilledBatchCanBeReplayedTwiceAndItsFileIsGoneWhenClosed(
            @ForAll @Size(min = 2, max = 5) List<@Size(min = 1, max = 64) byte[]> chunks)
            throws Exception {
        RetainedChunks kept = new RetainedChunks(0);
        for (byte[] chunk : chunks) {
            kept.add(chunk);
        }
        assertThat(kept.spilled()).isTrue();
        List<byte[]> first = new ArrayList<>();
        kept.replay(first::add);
        kept.add(new byte[] {42});
        List<byte[]> second = new ArrayList<>();
        kept.replay(second::add);
        kept.close();

        assertThat(first).containsExactlyElementsOf(chunks);
        assertThat(second).hasSize(chunks.size() + 1);
        assertThat(kept.spilled()).isFalse();
    }
}
