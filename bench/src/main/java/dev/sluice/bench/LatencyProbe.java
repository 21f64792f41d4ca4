package dev.sluice.bench;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.local.HttpLogGenerator;
import dev.sluice.local.LogProducer;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Visibility latency: the job runs unbounded while records are produced at a fixed rate, each
 * carrying its produce time as its event time; the bucket is polled, and a record's latency is the
 * moment its object was first seen minus its produce time. Every produced record is waited for, up
 * to the batch interval plus the checkpoint interval plus a margin after the last one.
 */
final class LatencyProbe {

    /** The jobs' batch interval (Logpush's default and minimum, 30 s). */
    static final Duration BATCH_INTERVAL = Duration.ofSeconds(30);

    private static final long POLL_MILLIS = 200;
    private static final Duration MARGIN = Duration.ofSeconds(20);
    private static final String BUCKET = "bench-latency";
    private static final String TIMESTAMP = "{\"timestamp\":";

    /**
     * @param rate records produced per second
     * @param seconds how long they were produced
     * @param produced records produced
     * @param seen records found in objects
     * @param p50Millis median latency from produce to visibility
     * @param p99Millis 99th percentile
     * @param maxMillis the largest
     * @param boundMillis the goal: batch interval + checkpoint interval + 2 s
     */
    record Figures(
            long rate,
            double seconds,
            long produced,
            long seen,
            long p50Millis,
            long p99Millis,
            long maxMillis,
            long boundMillis) {}

    private final BenchServers servers;
    private final BenchInput input;

    LatencyProbe(BenchServers servers, BenchInput input) {
        this.servers = servers;
        this.input = input;
    }

    Figures run(long rate, Duration duration) throws Exception {
        servers.s3.createBucket(BUCKET);
        String config = BenchConfig.snapshot(input.customers(), servers.s3, BUCKET);
        Configuration conf = SluiceContender.conf(servers, BUCKET, BenchTopics.PROBE);
        conf.set(SluiceOptions.BOUNDED, false);
        try (BenchCluster cluster = BenchCluster.start(conf);
                LogProducer producer =
                        new LogProducer(
                                servers.kafka.bootstrapServers(),
                                BenchTopics.PROBE,
                                new HttpLogGenerator(input.customers(), 29_11_2026L))) {
            JobID job = cluster.submit(BUCKET, env -> SluiceJob.define(env, conf, config));
            cluster.awaitAllRunning(job, Duration.ofMinutes(1));
            Thread thread = new Thread(() -> producer.produceAtRate(rate), "bench-probe");
            thread.start();
            Thread.sleep(duration.toMillis());
            producer.stop();
            thread.join();
            long[] latencies = collect(producer.produced());
            cluster.cancel(job);
            return figures(rate, duration, producer.produced(), latencies);
        }
    }

    /** Polls the bucket until every produced record was seen or the wait is over. */
    private long[] collect(long produced) throws InterruptedException {
        BucketReader bucket = new BucketReader(servers.s3Client, BUCKET);
        long[] latencies = new long[(int) produced];
        int seen = 0;
        long deadline =
                System.currentTimeMillis()
                        + BATCH_INTERVAL.plus(servers.checkpointInterval()).plus(MARGIN).toMillis();
        while (seen < produced && System.currentTimeMillis() < deadline) {
            for (DeliveredObject object : readNew(bucket)) {
                long now = System.currentTimeMillis();
                for (String line : object.lines()) {
                    if (seen < latencies.length) {
                        latencies[seen++] = now - producedAtMillis(line);
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return Arrays.copyOf(latencies, seen);
    }

    /** New objects; none this time when a listing races with an upload (S3Proxy can fail it). */
    private static List<DeliveredObject> readNew(BucketReader bucket) {
        try {
            return bucket.readNew();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The record's event time, which the producer set to its produce time (unixnano). */
    static long producedAtMillis(String line) {
        if (!line.startsWith(TIMESTAMP)) {
            throw new IllegalStateException("not a record of the bench config: " + line);
        }
        int end = line.indexOf(',', TIMESTAMP.length());
        return Long.parseLong(line.substring(TIMESTAMP.length(), end)) / 1_000_000L;
    }

    private Figures figures(long rate, Duration duration, long produced, long[] latencies) {
        Arrays.sort(latencies);
        return new Figures(
                rate,
                duration.toMillis() / 1e3,
                produced,
                latencies.length,
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1],
                BATCH_INTERVAL.plus(servers.checkpointInterval()).plusSeconds(2).toMillis());
    }

    /** The nearest-rank percentile of sorted values; 0 when there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
