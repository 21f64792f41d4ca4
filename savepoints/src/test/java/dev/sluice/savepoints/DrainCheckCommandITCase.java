package dev.sluice.savepoints;

import dev.sluice.route.RouteFunction;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the two savepoints of one deployment: a stop without drain while every job's batch is open
 * (limits far from reached), then the job restored from it, given more records, and stopped with a
 * drain, which closes every batch.
 */
class DrainCheckCommandITCase extends SluiceJobTestBase {

    private static final int JOBS = 3;
    private static final int BEFORE_STOP = 200;
    private static final int AFTER_RESTORE = 50;

    /** Stop without drain: every job holds {@value #BEFORE_STOP} records. */
    private static String buffered;

    /** Stop with drain after the restore: nothing held. */
    private static String drained;

    @BeforeAll
    static void stopWithoutThenWithDrain(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String config = config(1, JOBS);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            buffered = runAndStop(cluster, config, null, producer, 0, BEFORE_STOP, false);
            drained =
                    runAndStop(
                            cluster, config, buffered, producer, BEFORE_STOP, AFTER_RESTORE, true);
        }
    }

    @Test
    void passesASavepointTakenAtAStopWithDrain() throws Exception {
        CommandRun run = CommandRun.of("drain-check", drained);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("nothing buffered: " + JOBS + " jobs, all empty\n");
        // What the buffers held was delivered: every record of every job, in its objects.
        Map<Long, Long> delivered = deliveredRecordsByJob();
        assertThat(delivered)
                .containsOnlyKeys(1L, 2L, 3L)
                .allSatisfy(
                        (job, records) ->
                                assertThat(records).isEqualTo(BEFORE_STOP + AFTER_RESTORE));
    }

    @Test
    void listsTheJobsOfASavepointTakenWithoutDrain() throws Exception {
        CommandRun run = CommandRun.of("drain-check", buffered);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out().lines().findFirst())
                .hasValueSatisfying(
                        first ->
                                assertThat(first)
                                        .startsWith(
                                                "still buffered: "
                                                        + JOBS * BEFORE_STOP
                                                        + " records, ")
                                        .endsWith(" bytes uncompressed, in 3 of 3 jobs"));
        Map<Long, String[]> rows = tableRows(run.out());
        assertThat(rows).containsOnlyKeys(1L, 2L, 3L);
        for (String[] row : rows.values()) {
            // JOB, RECORDS, BYTES, OLDEST PENDING
            assertThat(row[1]).isEqualTo(Integer.toString(BEFORE_STOP));
            assertThat(Long.parseLong(row[2])).isPositive();
            assertThat(row[3]).isEqualTo(FIRST_EVENT_TIME);
        }
        assertThat(run.out()).doesNotContain("warning");
    }

    @Test
    void refusesASavepointOfAnotherJobAsInspectDoes() throws Exception {
        CommandRun run = CommandRun.of("drain-check", savepointOfAnotherJob());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("sluice savepoint drain-check: ")
                .contains("has no operator with uid \"buffer\"");
        assertThat(run.out()).isEmpty();
    }

    /**
     * Runs the job (from {@code savepoint} if not null), produces {@code count} records of every
     * configured customer starting at record {@code from}, waits until all are routed, and stops.
     */
    private static String runAndStop(
            MiniCluster cluster,
            String config,
            String savepoint,
            KafkaProducer<byte[], byte[]> producer,
            int from,
            int count,
            boolean drain)
            throws Exception {
        JobClient job = startJob(cluster, config, savepoint);
        try {
            for (int c = 1; c <= JOBS; c++) {
                produceLogs(producer, customer(c), from, count);
            }
            awaitCounts(job, RouteFunction.ROUTED_BY_JOB, routed -> sum(routed) == JOBS * count);
            return stop(job, drain);
        } catch (Exception | AssertionError e) {
            job.cancel();
            throw e;
        }
    }
}
