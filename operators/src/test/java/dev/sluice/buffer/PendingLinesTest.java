package dev.sluice.buffer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Records put in one array come back as they went in, whatever their sizes, and the array's room
 * stays within what the memory budget can count on: about twice the records' bytes at most, a
 * quarter more past 1 MiB.
 */
class PendingLinesTest {

    @Property(tries = 300)
    void recordsReadBackInOrder(@ForAll("records") List<byte[]> records) {
        PendingLines lines = of(records);

        assertThat(lines.count()).isEqualTo(records.size());
        assertThat(lines.bytes()).isEqualTo(records.stream().mapToInt(r -> r.length).sum());
        assertThat(lines.isEmpty()).isEqualTo(records.isEmpty());
        for (int i = 0; i < records.size(); i++) {
            assertThat(lines.get(i)).isEqualTo(records.get(i));
        }
        assertThat(lines.copiesFrom(0))
                .usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(records);
    }

    @Property(tries = 300)
    void aSuffixCopiesAndWritesAsTheSameRecords(
            @ForAll("records") List<byte[]> records,
            @ForAll @IntRange(max = 700) int cut,
            @ForAll("delimiters") byte[] delimiter,
            @ForAll boolean delimitFirst)
            throws IOException {
        int from = Math.min(cut, records.size());
        PendingLines lines = of(records);
        List<byte[]> suffix = records.subList(from, records.size());

        assertThat(lines.copiesFrom(from))
                .usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(suffix);
        PendingLines copied = new PendingLines();
        copied.add(new byte[] {'x'});
        copied.addFrom(lines, from);
        assertThat(copied.copiesFrom(1))
                .usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(suffix);

        ByteArrayOutputStream written = new ByteArrayOutputStream();
        lines.writeTo(written, from, delimiter, delimitFirst);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < suffix.size(); i++) {
            if (i > 0 || delimitFirst) {
                expected.write(delimiter);
            }
            expected.write(suffix.get(i));
        }
        // No delimiter, nothing between records: the bytes are written as they lie, in one go.
        assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Property(tries = 200)
    void itsRoomIsAtMostAboutTwiceItsBytes(@ForAll("records") List<byte[]> records) {
        PendingLines lines = of(records);
        long room =
                Math.max(1024, 2L * lines.bytes())
                        + Integer.BYTES * Math.max(16, 2L * lines.count());

        assertThat(lines.heldBytes()).isLessThanOrEqualTo(room);
    }

    @Test
    void clearingLetsGoOfItsArrays() {
        PendingLines lines = new PendingLines();
        for (int i = 0; i < 1000; i++) {
            lines.add(new byte[100]);
        }
        assertThat(lines.heldBytes()).isGreaterThan(100_000);

        lines.clear();

        assertThat(lines.heldBytes()).isZero();
        assertThat(lines.count()).isZero();
        assertThat(lines.bytes()).isZero();
        lines.add(new byte[] {1, 2});
        assertThat(lines.get(0)).containsExactly(1, 2);
    }

    @Test
    void pastTheGrowthStepItGrowsByAQuarter() {
        PendingLines lines = new PendingLines();
        byte[] record = new byte[64 * 1024];
        int grown = 0;
        int capacity = 0;
        while (lines.bytes() <= 20 * PendingLines.GROWTH_STEP) {
            lines.add(record);
            if (lines.data().length != capacity) {
                capacity = lines.data().length;
                grown++;
            }
            if (lines.bytes() > PendingLines.GROWTH_STEP) {
                assertThat(lines.data().length - lines.bytes())
                        .as("unused room past the step")
                        .isLessThanOrEqualTo(lines.data().length / 5);
            }
        }

        // 1 KiB doubling to 1 MiB, then about 14 quarters to 20 MiB: not one growth a step.
        assertThat(grown).isLessThan(30);
    }

    @Test
    void aRecordOutsideTheSetIsRefusedByIndex() {
        PendingLines lines = of(List.of(new byte[] {1}));

        assertThatThrownBy(() -> lines.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> lines.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static PendingLines of(List<byte[]> records) {
        PendingLines lines = new PendingLines();
        records.forEach(lines::add);
        return lines;
    }

    @Provide
    Arbitrary<List<byte[]>> records() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(500);
        Arbitrary<byte[]> large =
                Arbitraries.bytes().array(byte[].class).ofMinSize(2_000).ofMaxSize(80_000);
        return Arbitraries.frequencyOf(Tuple.of(30, small), Tuple.of(1, large))
                .list()
                .ofMaxSize(700);
    }

    @Provide
    Arbitrary<byte[]> delimiters() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(3);
    }
}
