package dev.sluice.chaos;

import dev.sluice.local.FaultProxy;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The S3 server slowed for a while: every request through an HTTP proxy held back 2 s, hundreds of
 * times its usual time. The writer keeps a bounded number of batches with the store, but every
 * checkpoint waits for them and commits on the buffer's task, so the slowness must reach the Kafka
 * source as backpressure while the buffer stays within its caps and the heap flat; once the store
 * is fast again every record arrives, once.
 */
public final class SlowSinkScenario implements Scenario {

    /** The buffer's per-subtask cap in this scenario: small, so it matters. */
    static final long MAX_BUFFERED_BYTES = 1024 * 1024;

    /**
     * How long a slowed request is held. A writer has several batches with the store at once, so a
     * store that is slow but keeps up with the traffic is no longer felt upstream; 2 s a request
     * (hundreds of times this store's usual few milliseconds) is slower than this traffic's batches
     * arrive, and every checkpoint waits that long for its batches and its commits.
     */
    static final long DELAY_MILLIS = 2_000;

    /** A record more than the cap may be held while the cap's batches go out. */
    static final long CAP_SLACK_BYTES = 64 * 1024;

    /** Sizes of a run. */
    record Size(int customers, double perSecond, Duration before, Duration slow, Duration after) {}

    static final Size QUICK =
            new Size(
                    5,
                    1_500,
                    Duration.ofSeconds(8),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(10));
    static final Size FULL =
            new Size(
                    10,
                    3_000,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(120),
                    Duration.ofSeconds(60));

    @Override
    public String name() {
        return "slow-sink";
    }

    @Override
    public String description() {
        return "the S3 server slowed to " + DELAY_MILLIS / 1000 + " s a request for a period";
    }

    @Override
    public Verdict run(Path dataDir, boolean quick, PrintStream log) throws Exception {
        Size size = quick ? QUICK : FULL;
        List<Check> checks = new ArrayList<>();
        Map<String, Object> series = new LinkedHashMap<>();
        RigSettings rigSettings =
                RigSettings.defaults()
                        // Small network buffers: the source feels a slow sink within kilobytes.
                        .with("taskmanager.memory.segment-size", "8 kb")
                        .with("sluice.buffer.max-bytes", MAX_BUFFERED_BYTES + " b")
                        .with("sluice.buffer.chunk-size", "128 kb");
        try (ChaosRig rig = ChaosRig.start(dataDir, rigSettings, log);
                FaultProxy proxy = new FaultProxy(rig.s3().endpoint().getPort())) {
            long baselineMillis = medianRequestMillis(rig, proxy);
            long delayMillis = DELAY_MILLIS;
            series.put("baselineRequestMillis", baselineMillis);
            series.put("slowRequestDelayMillis", delayMillis);

            List<String> customers = ChaosJobs.customers("c", size.customers());
            ChaosJobs jobs = new ChaosJobs(rig.s3(), proxy.endpoint());
            Map<Long, String> jobIds = jobs.addOnePerCustomer(customers, ChaosRig.BUCKET, 1_000);
            rig.submit(jobs.snapshot(1));

            SentLedger sent = new SentLedger();
            try (ChaosProducer producer = rig.producer(sent);
                    SeriesRecorder recorder = new SeriesRecorder(rig)) {
                double slowFrom;
                double slowTo;
                try (Traffic traffic =
                        Traffic.start(producer, customers, size.perSecond(), "steady")) {
                    Thread.sleep(size.before().toMillis());
                    log.printf(
                            Locale.ROOT,
                            "Store slowed: %d ms per request (usually %d ms)%n",
                            delayMillis,
                            baselineMillis);
                    recorder.mark("store slowed");
                    slowFrom = recorder.seconds(System.currentTimeMillis());
                    proxy.delayEveryRequest(delayMillis);
                    Thread.sleep(size.slow().toMillis());
                    proxy.delayEveryRequest(0);
                    slowTo = recorder.seconds(System.currentTimeMillis());
                    recorder.mark("store fast again");
                    log.printf("Store fast again%n");
                    Thread.sleep(size.after().toMillis());
                }
                producer.flush();
                recorder.mark("traffic ends");
                long caughtUp = awaitCaughtUp(rig, sent.ackedTotal());
                series.put("catchUpSecondsAfterTraffic", caughtUp / 1000.0);
                checks.add(
                        Check.atLeast(
                                "requests held back by the slow store",
                                1,
                                proxy.delayedRequests()));
                checks.add(
                        Check.atLeast(
                                "source backpressured while slow, ms/s (max)",
                                100,
                                recorder.max(
                                        "sourceBackPressuredMsPerSecond", slowFrom, slowTo + 5)));
                checks.add(
                        Check.atMost(
                                "bytes buffered, all subtasks (max; caps + slack)",
                                rig.parallelism() * (MAX_BUFFERED_BYTES + CAP_SLACK_BYTES),
                                recorder.max("bufferedBytes")));
                double heapBefore = recorder.max("heapAfterGcMiB", 0, slowFrom);
                checks.add(
                        Check.atMost(
                                "heap after GC while slow, MiB (max; 1.5x before + 64)",
                                heapBefore * 1.5 + 64,
                                recorder.max("heapAfterGcMiB", slowFrom, slowTo)));
                checks.add(JobChecks.noRestarts(rig));
                rig.drain();
                series.putAll(recorder.toReport());
            }
            rig.audit(sent, jobIds).addTo("all", checks, series);
        }
        return new Verdict(name(), checks, series);
    }

    /** Milliseconds until the router has routed every record sent; -1 if not within 3 minutes. */
    private static long awaitCaughtUp(ChaosRig rig, long sent) throws InterruptedException {
        long start = System.currentTimeMillis();
        double routed =
                JobChecks.awaitMetric(
                        rig, s -> s.sluice("recordsRouted"), sent, Duration.ofMinutes(3));
        return routed >= sent ? System.currentTimeMillis() - start : -1;
    }

    /** The median time of a small request to the store through the proxy, at least 1 ms. */
    private static long medianRequestMillis(ChaosRig rig, FaultProxy proxy) {
        try (S3Client client =
                S3Client.builder()
                        .endpointOverride(proxy.endpoint())
                        .region(Region.US_EAST_1)
                        .forcePathStyle(true)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                rig.s3().accessKey(), rig.s3().secretKey())))
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .build()) {
            long[] times = new long[21];
            for (int i = 0; i < times.length; i++) {
                long start = System.nanoTime();
                client.listObjectsV2(r -> r.bucket(ChaosRig.BUCKET).maxKeys(1));
                times[i] = (System.nanoTime() - start) / 1_000_000;
            }
            Arrays.sort(times);
            return Math.max(1, times[times.length / 2]);
        }
    }
}
