package dev.sluice.savepoints;

import dev.sluice.schemas.state.BufferMeta;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** One job's row, from counted lines and the buffer's bookkeeping. */
class JobBufferTest {

    private static final long NOV_14_2024_10_15_UTC_MICROS = 1_731_579_300_000_000L;

    @Test
    void takesEachFieldFromItsOwnPlaceInTheBookkeeping() {
        BufferMeta meta =
                BufferMeta.newBuilder()
                        .setNextSeq(4)
                        .setRecords(3)
                        .setBytes(120)
                        .setFirstMicros(NOV_14_2024_10_15_UTC_MICROS + 7)
                        .setLastMicros(NOV_14_2024_10_15_UTC_MICROS + 9)
                        .setRecordsIn(1_003)
                        .setRecordsEmitted(1_000)
                        .build();

        JobBuffer job = JobBuffer.of(42, 3, 120, meta);

        assertThat(job)
                .isEqualTo(
                        new JobBuffer(
                                42,
                                3,
                                120,
                                3,
                                120,
                                4,
                                NOV_14_2024_10_15_UTC_MICROS + 7,
                                1_003,
                                1_000));
        assertThat(job.consistent()).isTrue();
        assertThat(job.oldestPending()).contains(Instant.parse("2024-11-14T10:15:00.000007Z"));
    }

    @Test
    void aJobWithoutBookkeepingOrRecordsHasNothingPending() {
        JobBuffer job = JobBuffer.of(42, 0, 0, null);

        assertThat(job).isEqualTo(new JobBuffer(42, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(job.oldestPending()).isEmpty();
    }

    @Test
    void eventTimesBeforeTheEpochStayExact() {
        JobBuffer job = new JobBuffer(1, 1, 10, 1, 10, 0, -1, 1, 0);

        assertThat(job.oldestPending()).contains(Instant.parse("1969-12-31T23:59:59.999999Z"));
    }
}
