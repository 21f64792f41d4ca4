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
 * jobs with the highest first count get a slot each ({@code rank} 1..n, the job id as a gauge), and
 * every other job is summed into {@code other}. Thousands of jobs thus cost {@code n + 1} groups,
 * never a series per job, which no metrics backend would survive.
 *
 * <p>Ranks are recomputed at most once per {@code refreshMillis}, when a reporter reads them.
 */
public final class TopJobsMetrics {

    private final Map<Long, long[]> byJob = new HashMap<>();
    private final int n;
    private final int width;
    private final long refreshMillis;
    private final LongSupplier clock;
    private long rankedAt;
    private List<Map.Entry<Long, long[]>> ranked;
    private final long[] other;
    private long otherJobs;

    /**
     * @param counts the names of the per-job counts, e.g. {@code recordsIn}; jobs are ranked by the
     *     first
     */
    public TopJobsMetrics(
            MetricGroup group, int n, long refreshMillis, LongSupplier clock, String... counts) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("at least one count to rank jobs by");
        }
        this.n = n;
        this.width = counts.length;
        this.other = new long[counts.length];
        this.refreshMillis = refreshMillis;
        this.clock = clock;
        MetricGroup jobs = group.addGroup("jobs");
        for (int rank = 1; rank <= n; rank++) {
            int r = rank;
            MetricGroup slot = jobs.addGroup("rank", Integer.toString(rank));
            slot.gauge("jobId", (Gauge<Long>) () -> slotValue(r, -1));
            for (int i = 0; i < counts.length; i++) {
                int index = i;
                slot.gauge(counts[i], (Gauge<Long>) () -> slotValue(r, index));
            }
        }
        MetricGroup rest = jobs.addGroup("rank", "other");
        rest.gauge("jobs", (Gauge<Long>) () -> otherValue(-1));
        for (int i = 0; i < counts.length; i++) {
            int index = i;
            rest.gauge(counts[i], (Gauge<Long>) () -> otherValue(index));
        }
    }

    /** Adds {@code delta} to count {@code index} (in the constructor's order) of a job. */
    public void add(long jobId, int index, long delta) {
        byJob.computeIfAbsent(jobId, id -> new long[width])[index] += delta;
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
        all.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
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
