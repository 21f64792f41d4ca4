package dev.sluice.chaos;

import dev.sluice.local.FaultProxy;

import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
        RigSettings rigSettings =
                RigSettings.defaults()
                        // Small network buffers: the source feels a slow sink within kilobytes.
                        .with("taskmanager.memory.segment-size", "8 kb")
                        .with("sluice.buffer.max-bytes", MAX_BUFFERED_BYTES + " b")
                        .with("sluice.buffer.chunk-size", "128 kb");
        try (ScenarioRun run = ScenarioRun.start(dataDir, rigSettings, log);
                FaultProxy proxy = new FaultProxy(run.rig().s3().endpoint().getPort())) {
            long baselineMillis = medianRequestMillis(run.rig(), proxy);
            run.put("baselineRequestMillis", baselineMillis);
            run.put("slowRequestDelayMillis", DELAY_MILLIS);
            ScenarioRun.Tenants tenants =
                    run.submit(
                            ScenarioRun.tenants(
                                    size.customers(),
                                    new ChaosJobs(run.rig().s3(), proxy.endpoint())));
            SlowPeriod slow =
                    sendWithSlowStore(run, size, proxy, tenants.customers(), baselineMillis);
            long caughtUp = awaitCaughtUp(run.rig(), run.sent().ackedTotal());
            run.put("catchUpSecondsAfterTraffic", caughtUp / 1000.0);
            checkBackpressure(run, proxy, slow.from(), slow.to());
            run.checkNoRestarts();
            run.drain();
            run.audit("all", tenants.jobIds());
            return run.verdict(name());
        }
    }

    /** When the store was slow, in seconds of the recording. */
    private record SlowPeriod(double from, double to) {}

    /** Steady traffic, with the store slowed for a while in the middle. */
    private static SlowPeriod sendWithSlowStore(
            ScenarioRun run, Size size, FaultProxy proxy, List<String> customers, long baseline)
            throws InterruptedException {
        SeriesRecorder recorder = run.recorder();
        double from;
        double to;
        try (Traffic traffic =
                Traffic.start(run.producer(), customers, size.perSecond(), "steady")) {
            Thread.sleep(size.before().toMillis());
            run.log()
                    .printf(
                            Locale.ROOT,
                            "Store slowed: %d ms per request (usually %d ms)%n",
                            DELAY_MILLIS,
                            baseline);
            recorder.mark("store slowed");
            from = recorder.seconds(System.currentTimeMillis());
            proxy.delayEveryRequest(DELAY_MILLIS);
            Thread.sleep(size.slow().toMillis());
            proxy.delayEveryRequest(0);
            to = recorder.seconds(System.currentTimeMillis());
            recorder.mark("store fast again");
            run.log().printf("Store fast again%n");
            Thread.sleep(size.after().toMillis());
        }
        run.trafficEnds();
        return new SlowPeriod(from, to);
    }

    /** The slowness reached the source as backpressure; buffer and heap stayed within bounds. */
    private static void checkBackpressure(
            ScenarioRun run, FaultProxy proxy, double slowFrom, double slowTo) {
        SeriesRecorder recorder = run.recorder();
        run.check(
                Check.atLeast("requests held back by the slow store", 1, proxy.delayedRequests()));
        run.check(
                Check.atLeast(
                        "source backpressured while slow, ms/s (max)",
                        100,
                        recorder.max("sourceBackPressuredMsPerSecond", slowFrom, slowTo + 5)));
        run.check(
                Check.atMost(
                        "bytes buffered, all subtasks (max; caps + slack)",
                        run.rig().parallelism() * (MAX_BUFFERED_BYTES + CAP_SLACK_BYTES),
                        recorder.max("bufferedBytes")));
        run.check(
                JobChecks.heapStaysFlat(
                        "heap after GC while slow, MiB (max; 1.5x before + 64)",
                        recorder,
                        slowFrom,
                        slowTo));
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
        try (S3Client client = rig.s3().newClient(proxy.endpoint())) {
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
