package dev.sluice.status;

import dev.sluice.sink.BatchOpened;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's status knows when its oldest record still buffered came: the oldest batch opened and not
 * yet committed, advanced as batches commit or park.
 */
class OldestBufferedTest {

    private static final long JOB = 7;

    private static StatusEvent opened(long seq, long at) {
        return StatusEvent.opened(new BatchOpened(JOB, seq, at));
    }

    private static StatusEvent delivered(long seq, long at) {
        return new StatusEvent(JOB, at, 10, 100, "", at * 1000, seq, false);
    }

    private static StatusEvent parked(long seq, long at) {
        return new StatusEvent(JOB, at, 10, 100, "403 Access Denied", at * 1000, seq, false);
    }

    @Test
    void theOldestOpenBatchUntilItCommitsThenTheNextOne() {
        JobStatus s = JobStatus.initial(JOB).with(opened(0, 1_000));
        assertThat(s.oldestBuffered()).isEqualTo(1_000);

        // Batch 0 closed, batch 1 opened before 0 committed: 0 is still the oldest.
        s = s.with(opened(1, 2_000));
        assertThat(s.oldestBuffered()).isEqualTo(1_000);

        s = s.with(delivered(0, 3_000));
        assertThat(s.oldestBuffered()).isEqualTo(2_000);
        assertThat(s.lastComplete()).isEqualTo(3_000);

        s = s.with(parked(1, 4_000));
        assertThat(s.oldestBuffered()).as("nothing buffered").isZero();
        assertThat(s.state()).isEqualTo(JobState.FAILING);
    }

    @Test
    void aBatchThatNeverCommitsIsPassedByTheNextThatDoes() {
        JobStatus s =
                JobStatus.initial(JOB)
                        .with(opened(0, 1_000))
                        .with(opened(1, 2_000))
                        .with(opened(2, 3_000));
        assertThat(s.oldestBuffered()).isEqualTo(1_000);

        s = s.with(delivered(1, 4_000));
        assertThat(s.oldestBuffered()).isEqualTo(3_000);
    }

    @Test
    void aCommitOfAnEarlierBatchOrOfAnUnknownOneLeavesItAsItIs() {
        JobStatus s = JobStatus.initial(JOB).with(opened(5, 1_000));

        assertThat(s.with(delivered(4, 2_000)).oldestBuffered()).isEqualTo(1_000);
        assertThat(s.with(new StatusEvent(JOB, 2_000, 1, 1, "", 0)).oldestBuffered())
                .isEqualTo(1_000);
    }

    @Test
    void theTopicValueShowsItAsAnIsoTimeOrNull() throws Exception {
        JobStatus s = JobStatus.initial(JOB).with(opened(0, 1_700_000_000_000L));

        assertThat(s.toJson().get("oldest_buffered").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(JobStatus.fromJson(s.toJsonBytes()).oldestBuffered())
                .isEqualTo(1_700_000_000_000L);
        assertThat(JobStatus.initial(JOB).toJson().get("oldest_buffered").isNull()).isTrue();
    }
}
