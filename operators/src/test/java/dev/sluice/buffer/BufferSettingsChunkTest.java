package dev.sluice.buffer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A chunk size from 64 KiB to 256 MiB: a smaller one compresses badly, a larger one could not be
 * compressed (or written to state at a barrier) as one array; it fails when the job is built, not
 * when the first large batch reaches it.
 */
class BufferSettingsChunkTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    @Property(tries = 200)
    void aChunkSizeInRangeIsKept(@ForAll @LongRange(min = 64 * KIB, max = 256 * MIB) long bytes) {
        BufferSettings settings =
                BufferSettings.defaults()
                        .withMaxBytes(Math.max(bytes, 256 * MIB))
                        .withChunkBytes(bytes);

        assertThat(settings.chunkBytes()).isEqualTo(bytes);
    }

    @Property(tries = 200)
    void aChunkSizeOutOfRangeIsRefusedByName(@ForAll long bytes) {
        if (bytes >= 64 * KIB && bytes <= 256 * MIB) {
            return;
        }
        assertThatThrownBy(
                        () ->
                                BufferSettings.defaults()
                                        .withMaxBytes(Long.MAX_VALUE)
                                        .withChunkBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk bytes must be at");
    }
}
