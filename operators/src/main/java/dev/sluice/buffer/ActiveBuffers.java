package dev.sluice.buffer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The jobs of one subtask with an open batch, in the order their batches opened, and the bytes each
 * holds. What the caps are checked against; kept in memory and rebuilt from keyed state on restore,
 * so it covers every open batch but never the (possibly huge) number of idle jobs.
 */
final class ActiveBuffers {

    /** Per job: {bytes held, when its interval ends (epoch millis)}. */
    private final LinkedHashMap<Long, long[]> bytesByJob = new LinkedHashMap<>();

    private long totalBytes;

    /**
     * A job's batch opened (or was found open on restore) holding {@code bytes}, its interval
     * ending at {@code flushAtMillis}.
     */
    void open(long jobId, long bytes, long flushAtMillis) {
        long[] previous = bytesByJob.put(jobId, new long[] {bytes, flushAtMillis});
        totalBytes += bytes - (previous == null ? 0 : previous[0]);
    }

    /** The job's open batch now goes out at {@code flushAtMillis}, as its retry timer says. */
    void reschedule(long jobId, long flushAtMillis) {
        long[] held = bytesByJob.get(jobId);
        if (held != null) {
            held[1] = flushAtMillis;
        }
    }

    /** The job's batch grew (or, on compression, shrank) by {@code delta} bytes. */
    void add(long jobId, long delta) {
        long[] held = bytesByJob.get(jobId);
        if (held != null) {
            held[0] += delta;
            totalBytes += delta;
        }
    }

    /** The job's batch was delivered. */
    void close(long jobId) {
        long[] held = bytesByJob.remove(jobId);
        if (held != null) {
            totalBytes -= held[0];
        }
    }

    int size() {
        return bytesByJob.size();
    }

    long totalBytes() {
        return totalBytes;
    }

    /** The job whose open batch is the oldest. */
    OptionalLong oldest() {
        Iterator<Long> jobs = bytesByJob.keySet().iterator();
        return jobs.hasNext() ? OptionalLong.of(jobs.next()) : OptionalLong.empty();
    }

    /**
     * The largest batches, largest first, that together hold at least {@code bytes}: what to
     * deliver so that {@code bytes} are freed. One pass and a sort per call; the caller frees a
     * tenth of the cap at a time, so this runs rarely even under a flood.
     */
    List<Long> largestHolding(long bytes) {
        List<Map.Entry<Long, long[]>> entries = new ArrayList<>(bytesByJob.entrySet());
        entries.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<Long> victims = new ArrayList<>();
        long freed = 0;
        for (Map.Entry<Long, long[]> e : entries) {
            if (freed >= bytes) {
                break;
            }
            victims.add(e.getKey());
            freed += e.getValue()[0];
        }
        return victims;
    }

    /** The jobs whose open batch's interval ends at or before {@code millis}, oldest first. */
    List<Long> dueBy(long millis) {
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : bytesByJob.entrySet()) {
            if (e.getValue()[1] <= millis) {
                due.add(e.getKey());
            }
        }
        return due;
    }

    /** The jobs among {@code jobIds} that have an open batch here. */
    List<Long> openAmong(Iterable<Long> jobIds) {
        List<Long> open = new ArrayList<>();
        for (Long id : jobIds) {
            if (bytesByJob.containsKey(id)) {
                open.add(id);
            }
        }
        return open;
    }
}
