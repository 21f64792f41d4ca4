package dev.sluice.buffer;

import dev.sluice.config.Compression;
import dev.sluice.config.OutputOptions;
import dev.sluice.encode.BatchFraming;
import dev.sluice.testing.Decompress;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A compressed chunk holds exactly the bytes the framing writes, whatever the records: empty ones,
 * ones larger than the compressor's 64 KiB initial buffer, many small ones; and its members
 * (frames) concatenate into the batch, one compressor reused for every chunk of every codec, gzip
 * members from libdeflate and from the JDK's zlib alike.
 */
class ChunkCompressorPropertyTest {

    private static final BatchFraming FRAMING = BatchFraming.forOptions(OutputOptions.defaults());
    private final ChunkCompressor libdeflate = new ChunkCompressor(3, 3);

    /** What a platform without libdeflate's native library runs. */
    private final ChunkCompressor jdkZlib = new ChunkCompressor(GzipMembers.jdkAtLevel(3), 3);

    @Property(tries = 100)
    void aChunkDecompressesToWhatTheFramingWrites(
            @ForAll("codecs") Compression codec,
            @ForAll("records") List<byte[]> records,
            @ForAll boolean first,
            @ForAll boolean last,
            @ForAll boolean withJdkZlib)
            throws IOException {
        ChunkCompressor compressor = withJdkZlib ? jdkZlib : libdeflate;
        byte[] chunk = compressor.compress(codec, FRAMING, records, first, last);

        assertThat(Decompress.bytes(codec, chunk)).isEqualTo(framed(records, first, last));
    }

    @Property(tries = 50)
    void chunksOfABatchConcatenateIntoTheWholeBatch(
            @ForAll("codecs") Compression codec,
            @ForAll("runs") List<byte[]> head,
            @ForAll("records") List<byte[]> tail,
            @ForAll boolean headWithJdkZlib)
            throws IOException {
        // A batch's chunks may come from both: a restore onto a platform without libdeflate.
        ChunkCompressor headCompressor = headWithJdkZlib ? jdkZlib : libdeflate;
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        object.writeBytes(headCompressor.compress(codec, FRAMING, head, true, false));
        object.writeBytes(libdeflate.compress(codec, FRAMING, tail, false, true));

        List<byte[]> all = new ArrayList<>(head);
        all.addAll(tail);
        assertThat(Decompress.bytes(codec, object.toByteArray()))
                .isEqualTo(framed(all, true, true));
    }

    /**
     * A batch's pending records, compressed where they lie when nothing frames them and framed
     * first otherwise, make the same chunk as the same records written by the framing.
     */
    @Property(tries = 100)
    void pendingLinesMakeTheSameChunkAsTheirRecords(
            @ForAll("codecs") Compression codec,
            @ForAll("records") List<byte[]> records,
            @ForAll("framings") BatchFraming framing,
            @ForAll boolean first,
            @ForAll boolean last)
            throws IOException {
        PendingLines lines = new PendingLines();
        records.forEach(lines::add);

        assertThat(libdeflate.compress(codec, framing, lines, first, last))
                .isEqualTo(libdeflate.compress(codec, framing, records, first, last));
    }

    /** A chunk past the kept buffers' size, then a small one through the same compressor. */
    @Example
    void aChunkLargerThanTheKeptBuffersCompressesAndSoDoesTheNext() throws IOException {
        List<byte[]> large = new ArrayList<>();
        for (int i = 0; large.size() * 100_000 <= ChunkCompressor.KEPT_BUFFER_BYTES; i++) {
            byte[] record = new byte[100_000];
            java.util.Arrays.fill(record, (byte) ('a' + i % 26));
            large.add(record);
        }
        List<byte[]> small = List.of("one".getBytes(), "two".getBytes());
        for (Compression codec : Compression.values()) {
            for (ChunkCompressor compressor : List.of(libdeflate, jdkZlib)) {
                assertThat(
                                Decompress.bytes(
                                        codec,
                                        compressor.compress(codec, FRAMING, large, true, false)))
                        .isEqualTo(framed(large, true, false));
                assertThat(
                                Decompress.bytes(
                                        codec,
                                        compressor.compress(codec, FRAMING, small, false, true)))
                        .isEqualTo(framed(small, false, true));
            }
        }
    }

    @Provide
    Arbitrary<BatchFraming> framings() {
        Arbitrary<String> text = Arbitraries.of("", ",", "[", "]", "\n", "--", "\u00e9");
        return net.jqwik.api.Combinators.combine(text, text, text)
                .as(
                        (prefix, suffix, delimiter) ->
                                BatchFraming.forOptions(
                                        OutputOptions.fromJson(
                                                null, null, null, null, null, null, null, delimiter,
                                                null, prefix, suffix, null)));
    }

    @Provide
    Arbitrary<Compression> codecs() {
        return Arbitraries.of(Compression.GZIP, Compression.ZSTD);
    }

    @Provide
    Arbitrary<List<byte[]>> records() {
        return recordLists(0);
    }

    /** Every run of a batch but the last holds at least one record. */
    @Provide
    Arbitrary<List<byte[]>> runs() {
        return recordLists(1);
    }

    private static Arbitrary<List<byte[]>> recordLists(int minSize) {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
        Arbitrary<byte[]> large =
                Arbitraries.bytes().array(byte[].class).ofMinSize(60_000).ofMaxSize(140_000);
        return Arbitraries.frequencyOf(Tuple.of(20, small), Tuple.of(1, large))
                .list()
                .ofMinSize(minSize)
                .ofMaxSize(600);
    }

    private static byte[] framed(List<byte[]> records, boolean first, boolean last)
            throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        FRAMING.writeChunk(plain, records, first, last);
        return plain.toByteArray();
    }
}
