package dev.sluice.chaos;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches a bucket while the job runs: when each object first became visible. An object's delivery
 * latency is the time from its first record's event time (in its key) to then, which is what a
 * customer waits for a log line.
 */
public final class DeliveryWatch implements AutoCloseable {

    private static final long PERIOD_MILLIS = 1_000;
    private static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final S3Client s3;
    private final String bucket;
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    public DeliveryWatch(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
        this.thread = new Thread(this::run, "chaos-delivery-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** One delivered object: its job, first event time and when it was first seen. */
    public record Seen(String key, long jobId, long firstEventMillis, long seenMillis) {
        public long latencyMillis() {
            return seenMillis - firstEventMillis;
        }
    }

    private void run() {
        while (!stopped) {
            try {
                long now = System.currentTimeMillis();
                for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                    if (o.key().endsWith(".log.gz") || o.key().endsWith(".log.zst")) {
                        firstSeen.putIfAbsent(o.key(), now);
                    }
                }
            } catch (RuntimeException e) {
                // A listing that races an upload's completion; the next one sees it.
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Every object seen so far. */
    public List<Seen> seen() {
        List<Seen> all = new ArrayList<>();
        for (Map.Entry<String, Long> e : firstSeen.entrySet()) {
            String key = e.getKey();
            all.add(new Seen(key, DeliveryAudit.jobIdOf(key), firstEventMillis(key), e.getValue()));
        }
        return all;
    }

    /** The largest latency of the jobs' objects seen between two times; 0 without any. */
    public long maxLatencyMillis(Collection<Long> jobs, long fromMillis, long toMillis) {
        long max = 0;
        for (Seen s : seen()) {
            if (jobs.contains(s.jobId())
                    && s.seenMillis() >= fromMillis
                    && s.seenMillis() <= toMillis) {
                max = Math.max(max, s.latencyMillis());
            }
        }
        return max;
    }

    /**
     * The longest any of the jobs went without a new object between two times, counting from {@code
     * fromMillis} to its first and from its last to {@code toMillis}.
     */
    public long maxGapMillis(Collection<Long> jobs, long fromMillis, long toMillis) {
        long worst = 0;
        for (long job : jobs) {
            List<Long> times = new ArrayList<>();
            for (Seen s : seen()) {
                if (s.jobId() == job
                        && s.seenMillis() >= fromMillis
                        && s.seenMillis() <= toMillis) {
                    times.add(s.seenMillis());
                }
            }
            times.sort(null);
            long previous = fromMillis;
            for (long t : times) {
                worst = Math.max(worst, t - previous);
                previous = t;
            }
            worst = Math.max(worst, toMillis - previous);
        }
        return worst;
    }

    /** The first event time in a key's {@code <first>_<last>_<job>-<seq>}, to the second. */
    static long firstEventMillis(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        String first = name.substring(0, name.indexOf('_'));
        return LocalDateTime.parse(first, KEY_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
