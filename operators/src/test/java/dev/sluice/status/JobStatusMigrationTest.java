package dev.sluice.status;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job status kept in state evolves: a snapshot of {@link JobStatusOperator} taken when {@link
 * JobStatus} had its first ten fields (kept in src/test/resources/job-status-v1) restores into
 * today's shape, every old field as it was and the new ones as for a job that never had them.
 */
class JobStatusMigrationTest {

    private static final String V1 = "job-status-v1/operator-subtask-state";
    private static final String REFUSED = "putting s3://gone/x failed: Connection refused";

    private static KeyedOneInputStreamOperatorTestHarness<Long, StatusEvent, JobStatus> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new JobStatusOperator(1), StatusEvent::jobId, Types.LONG);
    }

    /**
     * Writes the fixture with the {@link JobStatus} of this build: run once, with {@code
     * -Dsluice.write-fixtures=true}, when the fixture is made; never again for the same version.
     */
    @Test
    @EnabledIfSystemProperty(named = "sluice.write-fixtures", matches = "true")
    void writeFixture() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(delivered(7, 1_000, 3)));
            h.processElement(new StreamRecord<>(parked(8, 2_000)));
            Path file = Path.of("src/test/resources", V1);
            Files.createDirectories(file.getParent());
            OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 1), file.toString());
        }
    }

    @Test
    void aStatusOfTheFirstShapeRestoresWithEveryField() throws Exception {
        OperatorSubtaskState v1 =
                OperatorSnapshotUtil.readStateHandle(
                        Path.of(getClass().getResource("/" + V1).toURI()).toString());
        try (var h = harness()) {
            h.initializeState(v1);
            h.open();
            JobStatusOperator op = (JobStatusOperator) h.getOperator();
            assertThat(op.jobs(JobState.HEALTHY)).isEqualTo(1);
            assertThat(op.jobs(JobState.FAILING)).isEqualTo(1);

            h.setProcessingTime(10_000);
            h.processElement(new StreamRecord<>(delivered(7, 10_000, 4)));
            h.processElement(new StreamRecord<>(delivered(8, 10_000, 5)));

            JobStatus seven = h.extractOutputValues().get(0);
            assertThat(seven.recordsDelivered()).isEqualTo(7);
            assertThat(seven.bytesDelivered()).isEqualTo(70);
            assertThat(seven.lastComplete()).isEqualTo(10_000);
            assertThat(seven.lastEventMicros()).isEqualTo(10_000_000);
            assertThat(seven.oldestBuffered()).as("a field the first shape had not").isZero();
            JobStatus eight = h.extractOutputValues().get(1);
            assertThat(eight.state()).isEqualTo(JobState.HEALTHY);
            assertThat(eight.lastError()).isEqualTo(2_000);
            assertThat(eight.errorMessage()).isEqualTo(REFUSED);
            assertThat(eight.parkedBatches()).isEqualTo(1);
            assertThat(eight.parkedRecords()).isEqualTo(5);
            assertThat(eight.recordsDelivered()).isEqualTo(5);
        }
    }

    private static StatusEvent delivered(long job, long at, long records) {
        return new StatusEvent(job, at, records, records * 10, "", at * 1000);
    }

    private static StatusEvent parked(long job, long at) {
        return new StatusEvent(job, at, 5, 50, REFUSED, at * 1000);
    }
}
