package dev.sluice.sink.writer;

import dev.sluice.metrics.TopJobsMetrics;
import dev.sluice.sink.BatchChunk;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.HashSet;
import java.util.Set;

/** The writer's figures: Flink's sink IO counters, its own under {@code sluice}, and per job. */
final class WriterMetrics {

    /** Jobs with their own metric series per writer; the rest are summed. */
    static final int TOP_JOBS = 20;

    private static final long TOP_JOBS_REFRESH_MILLIS = 10_000;

    private final MetricGroup sluice;
    private final Counter recordsOut;
    private final Counter bytesOut;
    private final Counter objectsStaged;
    private final Counter wholeObjects;
    private final Histogram stageMillis;
    private final TopJobsMetrics byJob;

    /** Jobs whose last batch was parked; a delivered batch makes its job healthy again. */
    private final Set<Long> unhealthyJobs = new HashSet<>();

    WriterMetrics(SinkWriterMetricGroup metrics) {
        this.recordsOut = metrics.getNumRecordsSendCounter();
        this.bytesOut = metrics.getNumBytesSendCounter();
        this.sluice = metrics.addGroup("sluice");
        this.objectsStaged = sluice.counter("objectsStaged");
        // Of those, the ones handed over whole, to be written at the commit.
        this.wholeObjects = sluice.counter("wholeObjects");
        // Milliseconds from a batch's first chunk to its last part stored (parked ones included).
        this.stageMillis =
                sluice.histogram("stageMillis", new DescriptiveStatisticsHistogram(1024));
        this.byJob =
                new TopJobsMetrics(
                        sluice,
                        TOP_JOBS,
                        TOP_JOBS_REFRESH_MILLIS,
                        System::currentTimeMillis,
                        "bytes",
                        "objects",
                        "stageMillis",
                        "parkedBatches");
        sluice.gauge("unhealthyJobs", unhealthyJobs::size);
    }

    /** The group the writer's own metrics live in. */
    MetricGroup sluice() {
        return sluice;
    }

    void batchesInFlight(Gauge<Integer> gauge) {
        sluice.gauge("batchesInFlight", gauge);
    }

    /** Bytes handed to a store, or carried whole. */
    void sent(long bytes) {
        bytesOut.inc(bytes);
    }

    void whole() {
        wholeObjects.inc();
    }

    /** A batch of {@code length} bytes is ready for the checkpoint after {@code millis}. */
    void staged(BatchChunk last, long length, long millis, boolean parked, boolean whole) {
        recordsOut.inc(last.records);
        objectsStaged.inc();
        stageMillis.update(millis);
        byJob.add(last.jobId, 0, length);
        byJob.add(last.jobId, 1, 1);
        byJob.add(last.jobId, 2, millis);
        if (parked) {
            byJob.add(last.jobId, 3, 1);
            unhealthyJobs.add(last.jobId);
        } else if (!whole) {
            unhealthyJobs.remove(last.jobId);
        }
    }
}
