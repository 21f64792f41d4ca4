package dev.sluice.buffer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingBlocksTest {

    @Property(tries = 300)
    void aBlockReadsBackAsTheRecordsItWasMadeOf(@ForAll("recordLists") List<byte[]> records) {
        try (PendingBlocks codec = new PendingBlocks()) {
            assertThat(PendingBlocks.decode(codec.encode(records)))
                    .usingElementComparator(Arrays::compare)
                    .containsExactlyElementsOf(records);
        }
    }

    /** The codec reuses its buffers: an earlier block must not change when a later one is made. */
    @Property(tries = 100)
    void blocksMadeOneAfterAnotherStayIntact(
            @ForAll("recordLists") List<byte[]> first, @ForAll("recordLists") List<byte[]> then) {
        try (PendingBlocks codec = new PendingBlocks()) {
            byte[] a = codec.encode(first);
            byte[] b = codec.encode(then);
            assertThat(PendingBlocks.decode(a))
                    .usingElementComparator(Arrays::compare)
                    .containsExactlyElementsOf(first);
            assertThat(PendingBlocks.decode(b))
                    .usingElementComparator(Arrays::compare)
                    .containsExactlyElementsOf(then);
        }
    }

    /** Whatever the bytes, a block that is not one fails with a message naming the state. */
    @Property(tries = 1000)
    void anyBytesReadAsRecordsOrFailClearly(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            PendingBlocks.decode(bytes);
        } catch (IllegalStateException e) {
            assertThat(e).hasMessageContaining("block in the buffer's state");
        }
    }

    /**
     * A damaged block never reads back as other records: the frame's checksum catches it. (A flip
     * of a bit zstd does not need, in the frame's header, may still read as the same records.)
     */
    @Property(tries = 500)
    void aDamagedBlockFailsItsRead(
            @ForAll("recordLists") List<byte[]> records,
            @ForAll @IntRange(min = 1, max = 10_000) int at,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] block;
        try (PendingBlocks codec = new PendingBlocks()) {
            block = codec.encode(records);
        }
        int i = 1 + at % (block.length - 1);
        block[i] ^= (byte) flip;
        List<byte[]> read;
        try {
            read = PendingBlocks.decode(block);
        } catch (IllegalStateException e) {
            assertThat(e).hasMessageContaining("block in the buffer's state");
            return;
        }
        assertThat(read).usingElementComparator(Arrays::compare).containsExactlyElementsOf(records);
    }

    /**
     * A frame whose header states 2 GB for three bytes of content fails its read with a clear
     * error; it was read into an array of the stated size, an OutOfMemoryError in a 2 GB heap.
     */
    @Test
    void aFrameStatingFarMoreThanItHoldsFailsWithoutTakingThatMemory() {
        byte[] block = {
            PendingBlocks.FORMAT,
            0x28,
            (byte) 0xB5,
            0x2F,
            (byte) 0xFD, // zstd magic number
            (byte) 0xA0, // single segment, a 4-byte content size, no checksum
            0x00,
            0x2F,
            0x68,
            0x59, // content size 1,500,000,000
            0x19,
            0x00,
            0x00,
            'a',
            'b',
            'c' // the last block: 3 raw bytes
        };

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)
                        java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        assertThatThrownBy(() -> PendingBlocks.decode(block))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("block in the buffer's state");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before)
                .as("bytes allocated to read it")
                .isLessThan(64L * 1024 * 1024);
    }

    @Test
    void aTruncatedBlockFailsItsRead() {
        byte[] block;
        try (PendingBlocks codec = new PendingBlocks()) {
            block = codec.encode(List.of(line("{\"a\":1}"), line("{\"b\":2}")));
        }
        assertThatThrownBy(() -> PendingBlocks.decode(Arrays.copyOf(block, block.length - 5)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBlockOfAnotherFormatIsRefusedByName() {
        assertThatThrownBy(() -> PendingBlocks.decode(new byte[] {2, 0, 0}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format 2 (this build reads 1)");
        assertThatThrownBy(() -> PendingBlocks.decode(new byte[0]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> PendingBlocks.decode(new byte[] {PendingBlocks.FORMAT}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no frame");
    }

    /** Log lines shrink, so a barrier writes a fraction of what it holds to the state backend. */
    @Test
    void logLinesShrinkSeveralFold() {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            records.add(
                    line(
                            "{\"ClientIP\":\"10.0."
                                    + (i % 250)
                                    + "."
                                    + (i * 7 % 250)
                                    + "\",\"ClientRequestHost\":\"c0001.example.com\","
                                    + "\"ClientRequestURI\":\"/api/v1/items/"
                                    + i
                                    + "\",\"EdgeResponseStatus\":200}"));
        }
        long raw = records.stream().mapToLong(r -> r.length).sum();
        try (PendingBlocks codec = new PendingBlocks()) {
            assertThat((long) codec.encode(records).length).isLessThan(raw / 4);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> recordLists() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        // Larger than the codec's first buffer, so it has to grow.
        Arbitrary<byte[]> large =
                Arbitraries.bytes().array(byte[].class).ofMinSize(60_000).ofMaxSize(140_000);
        Arbitrary<byte[]> record =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(40, small),
                        net.jqwik.api.Tuple.of(1, large),
                        net.jqwik.api.Tuple.of(4, Arbitraries.just(new byte[0])));
        return record.list().ofMaxSize(60);
    }

    private static byte[] line(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
