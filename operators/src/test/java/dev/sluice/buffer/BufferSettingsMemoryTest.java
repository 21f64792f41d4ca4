package dev.sluice.buffer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The buffer's memory budget when {@code sluice.buffer.memory} is unset: a quarter of the heap per
 * slot, never under 64 MiB or a chunk, never over the byte cap; a configured one is kept as given.
 */
class BufferSettingsMemoryTest {

    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;

    @Test
    void aConfiguredBudgetIsKeptWhateverTheHeap() {
        BufferSettings configured = BufferSettings.defaults().withMemoryBytes(80 * MIB);

        assertThat(configured.withMemoryFor(64 * GIB, 1).memoryBytes()).isEqualTo(80 * MIB);
        assertThat(configured.withMemoryFor(128 * MIB, 8).memoryBytes()).isEqualTo(80 * MIB);
    }

    @Test
    void anUnsetBudgetTakesAQuarterOfTheHeapsShareOfASlot() {
        // A manifest TaskManager: 4 GiB process, about 1.55 GiB of heap, 2 slots.
        long heap = 1587 * MIB;

        BufferSettings resolved = BufferSettings.defaults().withMemoryFor(heap, 2);

        assertThat(resolved.memoryBytes()).isEqualTo(heap / 2 / 4);
    }

    @Test
    void aLargeHeapStopsAtTheByteCapWhichCountsPendingRecordsToo() {
        BufferSettings settings = BufferSettings.defaults();

        assertThat(settings.withMemoryFor(4 * GIB, 2).memoryBytes()).isEqualTo(settings.maxBytes());
        assertThat(settings.withMemoryFor(Long.MAX_VALUE, 1).memoryBytes())
                .as("a heap without a limit")
                .isEqualTo(settings.maxBytes());
    }

    @Test
    void aSmallHeapStillTakesTheLeastBudget() {
        assertThat(BufferSettings.defaults().withMemoryFor(512 * MIB, 8).memoryBytes())
                .isEqualTo(BufferSettings.MIN_AUTO_MEMORY_BYTES);
    }

    @Test
    void aByteCapUnderTheLeastBudgetBoundsItAndAChunkStillFits() {
        BufferSettings smallCap = BufferSettings.defaults().withMaxBytes(4 * MIB);
        BufferSettings bigChunk =
                BufferSettings.defaults().withMaxBytes(512 * MIB).withChunkBytes(100 * MIB);

        assertThat(smallCap.withMemoryFor(GIB, 4).memoryBytes()).isEqualTo(4 * MIB);
        assertThat(bigChunk.withMemoryFor(GIB, 4).memoryBytes()).isEqualTo(100 * MIB);
    }

    @Test
    void aConfiguredBudgetUnderAChunkIsRefused() {
        assertThatThrownBy(() -> BufferSettings.defaults().withMemoryBytes(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold at least one chunk");
        assertThatThrownBy(() -> BufferSettings.defaults().withMemoryBytes(-MIB))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void anyHeapAndSlotsGiveABudgetBetweenAChunkAndTheByteCap(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long heap,
            @ForAll @IntRange(min = 0, max = 1024) int slots,
            @ForAll @LongRange(min = 64 * 1024, max = 64 * MIB) long chunkBytes,
            @ForAll @LongRange(min = 0, max = 4 * GIB) long capOverChunk) {
        BufferSettings settings =
                BufferSettings.defaults()
                        .withMaxBytes(Long.MAX_VALUE)
                        .withChunkBytes(chunkBytes)
                        .withMaxBytes(chunkBytes + capOverChunk);

        long budget = settings.withMemoryFor(heap, slots).memoryBytes();

        assertThat(budget).isBetween(chunkBytes, settings.maxBytes());
        assertThat(budget)
                .isGreaterThanOrEqualTo(
                        Math.min(BufferSettings.MIN_AUTO_MEMORY_BYTES, settings.maxBytes()));
    }
}
