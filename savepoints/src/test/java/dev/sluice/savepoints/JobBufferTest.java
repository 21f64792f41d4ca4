package dev.sluice.savepoints;

import dev.sluice.schemas.state.BufferMeta;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static dev.sluice.savepoints.ReportFixtures.NOV_14_2024_10_15_UTC_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/** One job's row, from what its state holds and the buffer's bookkeeping. */
class JobBufferTest {

    /**
     * An open batch of 1_200 records: 1_000 of them (100_000 bytes) compressed into 2 chunks of
     * 9_000 bytes together, 200 (20_000 bytes) pending.
     */
    private static BufferMeta.Builder chunkedBatch() {
        return BufferMeta.newBuilder()
                .setRecords(1_200)
                .setBytes(120_000)
                .setCompressedInputBytes(100_000)
                .setChunkCount(2)
                .setStoredBytes(9_000)
                .setCompression("zstd")
                .setFirstMicros(NOV_14_2024_10_15_UTC_MICROS);
    }

    @Test
    void takesEachFieldFromItsOwnPlaceInTheBookkeeping() {
        BufferMeta meta =
                chunkedBatch()
                        .setNextSeq(4)
                        .setFirstMicros(NOV_14_2024_10_15_UTC_MICROS + 7)
                        .setLastMicros(NOV_14_2024_10_15_UTC_MICROS + 9)
                        .setRecordsIn(2_500)
                        .setRecordsEmitted(1_300)
                        .setRecordsFiltered(31)
                        .setRecordsSampledOut(17)
                        .build();

        JobBuffer job = JobBuffer.of(42, 200, 20_000, 2, 9_000, meta);

        assertThat(job)
                .isEqualTo(
                        new JobBuffer(
                                42,
                                200,
                                20_000,
                                2,
                                9_000,
                                1_200,
                                120_000,
                                20_000,
                                2,
                                9_000,
                                4,
                                NOV_14_2024_10_15_UTC_MICROS + 7,
                                2_500,
                                1_300,
                                31,
                                17));
        assertThat(job.consistent()).isTrue();
        assertThat(job.empty()).isFalse();
        assertThat(job.oldestPending()).contains(Instant.parse("2024-11-14T10:15:00.000007Z"));
    }

    @Test
    void aJobWithoutBookkeepingOrRecordsHasNothingPending() {
        JobBuffer job = JobBuffer.of(42, 0, 0, 0, 0, null);

        assertThat(job).isEqualTo(new JobBuffer(42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(job.oldestPending()).isEmpty();
        assertThat(job.empty()).isTrue();
        assertThat(job.consistent()).isTrue();
    }

    @Test
    void bookkeepingOfTheVersionBeforeChunksHasEveryRecordPending() {
        // What a savepoint of the function-based buffer restores to: only the old fields set.
        BufferMeta old =
                BufferMeta.newBuilder()
                        .setRecords(20)
                        .setBytes(1_180)
                        .setFirstMicros(NOV_14_2024_10_15_UTC_MICROS)
                        .setRecordsIn(20)
                        .build();

        JobBuffer job = JobBuffer.of(101, 20, 1_180, 0, 0, old);

        assertThat(job.metaPendingBytes()).isEqualTo(1_180);
        assertThat(job.metaChunks()).isZero();
        assertThat(job.recordsFiltered()).isZero();
        assertThat(job.recordsSampledOut()).isZero();
        assertThat(job.consistent()).isTrue();
        assertThat(job.oldestPending()).contains(Instant.parse("2024-11-14T10:15:00Z"));
    }

    @Test
    void withoutChunksThePendingRecordsAreTheBatch() {
        BufferMeta meta = BufferMeta.newBuilder().setRecords(3).setBytes(120).build();

        assertThat(JobBuffer.of(1, 3, 120, 0, 0, meta).consistent()).isTrue();
        assertThat(JobBuffer.of(1, 2, 120, 0, 0, meta).consistent()).as("records").isFalse();
        assertThat(JobBuffer.of(1, 3, 119, 0, 0, meta).consistent()).as("bytes").isFalse();
        assertThat(JobBuffer.of(1, 0, 0, 0, 0, meta).consistent()).as("lines lost").isFalse();
        // Compressed input without a chunk to hold it: the bytes went nowhere.
        BufferMeta lost = BufferMeta.newBuilder(meta).setCompressedInputBytes(20).build();
        assertThat(JobBuffer.of(1, 3, 100, 0, 0, lost).consistent()).isFalse();
    }

    /** Pending records and bytes, chunks and chunk bytes against a batch of 1,200 records. */
    @ParameterizedTest(name = "{5}")
    @CsvSource({
        "200,   20000, 2, 9000, true,  matching",
        // The records in chunks cannot be counted: any number of pending ones below the batch's.
        "1199,  20000, 2, 9000, true,  fewer records in chunks",
        "200,   19999, 2, 9000, false, pending bytes",
        "200,   20000, 1, 9000, false, chunk count",
        "200,   20000, 3, 9000, false, a chunk the bookkeeping does not know",
        "200,   20000, 2, 8999, false, chunk bytes",
        "1200,  20000, 2, 9000, false, chunks without records",
    })
    void withChunksEachPartOfTheStateMatchesItsBookkeeping(
            long records, long bytes, int chunks, long chunkBytes, boolean consistent, String why) {
        BufferMeta meta = chunkedBatch().build();

        assertThat(JobBuffer.of(1, records, bytes, chunks, chunkBytes, meta).consistent())
                .as(why)
                .isEqualTo(consistent);
    }

    @Test
    void aBatchWhollyInChunksStillWaits() {
        BufferMeta meta = chunkedBatch().setBytes(100_000).build();

        JobBuffer job = JobBuffer.of(1, 0, 0, 2, 9_000, meta);

        assertThat(job.consistent()).isTrue();
        assertThat(job.empty()).isFalse();
        assertThat(job.oldestPending()).contains(Instant.parse("2024-11-14T10:15:00Z"));
    }

    @Test
    void aChunkOnEitherSideIsNotEmpty() {
        BufferMeta none = BufferMeta.newBuilder().build();
        BufferMeta counted = BufferMeta.newBuilder().setChunkCount(1).setStoredBytes(10).build();

        assertThat(JobBuffer.of(1, 0, 0, 1, 10, none).empty()).as("in the state").isFalse();
        assertThat(JobBuffer.of(1, 0, 0, 0, 0, counted).empty()).as("in the bookkeeping").isFalse();
    }

    @Test
    void eventTimesBeforeTheEpochStayExact() {
        BufferMeta meta =
                BufferMeta.newBuilder().setRecords(1).setBytes(10).setFirstMicros(-1).build();

        JobBuffer job = JobBuffer.of(1, 1, 10, 0, 0, meta);

        assertThat(job.oldestPending()).contains(Instant.parse("1969-12-31T23:59:59.999999Z"));
    }
}
