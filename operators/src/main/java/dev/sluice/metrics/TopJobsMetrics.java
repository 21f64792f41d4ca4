package dev.sluice.metrics;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-job figures of one subtask as Flink metrics with a bounded number of series: the {@code n}
 * jobs with the most records get a slot each ({@code rank} 1..n, the job id as a gauge), and every
 * other job is summed into {@code other}. Thousands of jobs thus cost {@code n + 1} groups, never a
 * series per job, which no metrics backend would survive.
 *
 * <p>Ranks are recomputed at most once per {@code refreshMillis}, when a reporter reads them.
 */
public final class TopJobsMetrics {

    /** Counts of one job since this subtask started: records in, records batched, batches. */
    private static final int IN = 0;

    private static final int BATCHED = 1;
    private static final int BATCHES = 2;

    private final Map<Long, long[]> byJob = new HashMap<>();
    private final int n;
    private final long refreshMillis;
    private final LongSupplier clock;
    private long rankedAt;
    private List<Map.Entry<Long, long[]>> ranked;
    private final long[] other = new long[3];
    private long otherJobs;

    public TopJobsMetrics(MetricGroup group, int n, long refreshMillis, LongSupplier clock) {
        this.n = n;
        this.refreshMillis = refreshMillis;
        this.clock = clock;
        MetricGroup jobs = group.addGroup("jobs");
        for (int rank = 1; rank <= n; rank++) {
            int r = rank;
            MetricGroup slot = jobs.addGroup("rank", Integer.toString(rank));
            slot.gauge("jobId", (Gauge<Long>) () -> slotValue(r, -1));
            slot.gauge("recordsIn", (Gauge<Long>) () -> slotValue(r, IN));
            slot.gauge("recordsBatched", (Gauge<Long>) () -> slotValue(r, BATCHED));
            slot.gauge("batches", (Gauge<Long>) () -> slotValue(r, BATCHES));
        }
        MetricGroup rest = jobs.addGroup("rank", "other");
        rest.gauge("jobs", (Gauge<Long>) () -> otherValue(-1));
        rest.gauge("recordsIn", (Gauge<Long>) () -> otherValue(IN));
        rest.gauge("recordsBatched", (Gauge<Long>) () -> otherValue(BATCHED));
        rest.gauge("batches", (Gauge<Long>) () -> otherValue(BATCHES));
    }

    public void recordIn(long jobId) {
        counts(jobId)[IN]++;
    }

    public void batched(long jobId, long records) {
        long[] c = counts(jobId);
        c[BATCHED] += records;
        c[BATCHES]++;
    }

    private long[] counts(long jobId) {
        return byJob.computeIfAbsent(jobId, id -> new long[3]);
    }

    private long slotValue(int rank, int index) {
        refresh();
        if (rank > ranked.size()) {
            return index < 0 ? -1 : 0;
        }
        Map.Entry<Long, long[]> e = ranked.get(rank - 1);
        return index < 0 ? e.getKey() : e.getValue()[index];
    }

    private long otherValue(int index) {
        refresh();
        return index < 0 ? otherJobs : other[index];
    }

    private void refresh() {
        long now = clock.getAsLong();
        if (ranked != null && now - rankedAt < refreshMillis) {
            return;
        }
        rankedAt = now;
        List<Map.Entry<Long, long[]>> all = new ArrayList<>(byJob.entrySet());
        all.sort((a, b) -> Long.compare(b.getValue()[IN], a.getValue()[IN]));
        List<Map.Entry<Long, long[]>> top = new ArrayList<>();
        java.util.Arrays.fill(other, 0);
        otherJobs = 0;
        for (int i = 0; i < all.size(); i++) {
            Map.Entry<Long, long[]> e = all.get(i);
            if (i < n) {
                top.add(Map.entry(e.getKey(), e.getValue().clone()));
            } else {
                otherJobs++;
                for (int k = 0; k < other.length; k++) {
                    other[k] += e.getValue()[k];
                }
            }
        }
        ranked = top;
    }
}
