package dev.sluice.status;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobStatusOperatorTest {

    private static final long INTERVAL = 10_000;
    private static final String REFUSED = "putting s3://gone/x failed: Connection refused";

    private static KeyedOneInputStreamOperatorTestHarness<Long, StatusEvent, JobStatus> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new JobStatusOperator(INTERVAL), StatusEvent::jobId, Types.LONG);
    }

    private static StatusEvent delivered(long job, long at, long records) {
        return new StatusEvent(job, at, records, records * 10, "", at * 1000);
    }

    private static StatusEvent parked(long job, long at) {
        return new StatusEvent(job, at, 5, 50, REFUSED, at * 1000);
    }

    private static List<JobStatus> emitted(
            KeyedOneInputStreamOperatorTestHarness<Long, StatusEvent, JobStatus> h) {
        return h.extractOutputValues();
    }

    @Test
    void aFirstBatchIsPublishedAtOnceAndLaterOnesAtMostOncePerInterval() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(100_000);
            h.processElement(new StreamRecord<>(delivered(7, 100_000, 3)));
            assertThat(emitted(h)).hasSize(1);

            // A flapping job: three changes inside the interval, one status at its end.
            h.processElement(new StreamRecord<>(parked(7, 101_000)));
            h.processElement(new StreamRecord<>(delivered(7, 102_000, 4)));
            h.processElement(new StreamRecord<>(parked(7, 103_000)));
            assertThat(emitted(h)).hasSize(1);

            h.setProcessingTime(110_000);
            List<JobStatus> out = emitted(h);
            assertThat(out).hasSize(2);
            JobStatus last = out.get(1);
            assertThat(last.state()).isEqualTo(JobState.FAILING);
            assertThat(last.lastComplete()).isEqualTo(102_000);
            assertThat(last.lastError()).isEqualTo(103_000);
            assertThat(last.errorMessage()).isEqualTo(REFUSED);
            assertThat(last.recordsDelivered()).isEqualTo(7);
            assertThat(last.parkedBatches()).isEqualTo(2);
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aQuietJobPublishesNothing() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(delivered(1, 0, 1)));
            h.setProcessingTime(10 * INTERVAL);
            assertThat(emitted(h)).hasSize(1);
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void theStatusAndTheCountsPerStateSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(delivered(1, 0, 2)));
            h.processElement(new StreamRecord<>(parked(2, 1)));
            h.processElement(new StreamRecord<>(parked(3, 1)));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            JobStatusOperator op = (JobStatusOperator) h.getOperator();
            assertThat(op.jobs(JobState.FAILING)).isEqualTo(2);
            assertThat(op.jobs(JobState.HEALTHY)).isEqualTo(1);

            // Within job 2's interval of its last publication: held, then the restored count.
            h.setProcessingTime(1);
            h.processElement(new StreamRecord<>(delivered(2, 2, 4)));
            assertThat(emitted(h)).isEmpty();
            h.setProcessingTime(INTERVAL);
            JobStatus two = emitted(h).get(0);
            assertThat(two.state()).isEqualTo(JobState.HEALTHY);
            assertThat(two.lastError()).isEqualTo(1);
            assertThat(two.parkedBatches()).isEqualTo(1);
            assertThat(two.errorMessage()).isEqualTo(REFUSED);
            assertThat(op.jobs(JobState.FAILING)).isEqualTo(1);
            assertThat(op.jobs(JobState.HEALTHY)).isEqualTo(2);
        }
    }

    @Test
    void theTopicValueReadsBackWithIsoTimesAndNullsForNever() throws Exception {
        JobStatus s = JobStatus.initial(4711).with(parked(4711, 1_700_000_000_000L));

        String json = new String(s.toJsonBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json)
                .contains("\"last_complete\":null")
                .contains("\"last_error\":\"2023-11-14T22:13:20Z\"")
                .contains("\"state\":\"failing\"");
        assertThat(JobStatus.fromJson(s.toJsonBytes())).isEqualTo(s);
    }
}
