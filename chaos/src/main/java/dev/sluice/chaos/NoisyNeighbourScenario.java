package dev.sluice.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Noisy neighbours: one customer sends 100 times as much as the others, and one customer's
 * destination is down (its bucket does not exist). The others' logs must still arrive within their
 * job's interval, the failing job's batches be parked (all of them, nothing lost), and the job
 * never restart.
 */
public final class NoisyNeighbourScenario implements Scenario {

    /** How much more the noisy customer sends. */
    static final int NOISE_FACTOR = 100;

    private static final String MISSING_BUCKET = "sluice-chaos-missing";

    private static final String NOISY = "noisy0001";
    private static final long NOISY_JOB = 100;

    /** A customer whose destination is down: its bucket does not exist. */
    private static final String BROKEN = "broken0001";

    private static final long BROKEN_JOB = 200;

    /** Sizes of a run. */
    record Size(int customers, double perCustomerPerSecond, Duration duration) {}

    static final Size QUICK = new Size(4, 30, Duration.ofSeconds(45));
    static final Size FULL = new Size(10, 30, Duration.ofMinutes(3));

    @Override
    public String name() {
        return "noisy-neighbour";
    }

    @Override
    public String description() {
        return "one customer at " + NOISE_FACTOR + "x the others' rate, one destination down";
    }

    @Override
    public Verdict run(Path dataDir, boolean quick, PrintStream log) throws Exception {
        Size size = quick ? QUICK : FULL;
        try (ScenarioRun run = ScenarioRun.start(dataDir, RigSettings.defaults(), log)) {
            ScenarioRun.Tenants quiet = run.tenants(size.customers());
            List<Long> quietJobs = List.copyOf(quiet.jobIds().keySet());
            Map<Long, String> jobIds = quiet.jobIds();
            quiet.jobs()
                    .add(NOISY_JOB, NOISY, ChaosRig.BUCKET, 1_000)
                    .add(BROKEN_JOB, BROKEN, MISSING_BUCKET, 1_000);
            jobIds.put(NOISY_JOB, NOISY);
            jobIds.put(BROKEN_JOB, BROKEN);
            run.submit(quiet.jobs());
            try (DeliveryWatch watch = new DeliveryWatch(run.rig().s3Client(), ChaosRig.BUCKET)) {
                long start = System.currentTimeMillis();
                sendTraffic(run, size, quiet.customers());
                run.check(
                        JobChecks.deliveredWithinInterval(
                                watch,
                                quietJobs,
                                start,
                                System.currentTimeMillis(),
                                "quiet customers' delivery latency, s (max)",
                                "longest a quiet customer went without an object, s"));
                run.checkNoRestarts();
                run.drain();
                run.put(
                        "latencyMillisByObject",
                        watch.seen().stream()
                                .map(s -> List.of(s.jobId(), s.latencyMillis()))
                                .toList());
            }
            checkIsolation(run, run.audit("all", jobIds));
            return run.verdict(name());
        }
    }

    /** The quiet customers and the broken one at their rate, the noisy one at 100 times it. */
    private static void sendTraffic(ScenarioRun run, Size size, List<String> quiet)
            throws InterruptedException {
        List<String> steady = new ArrayList<>(quiet);
        steady.add(BROKEN);
        double rate = size.perCustomerPerSecond();
        run.log()
                .printf(
                        "%d quiet customers and a broken one at %.0f/s each, one at %.0f/s%n",
                        quiet.size(), rate, rate * NOISE_FACTOR);
        try (Traffic normal = Traffic.start(run.producer(), steady, rate * steady.size(), "quiet");
                Traffic loud =
                        Traffic.start(
                                run.producer(), List.of(NOISY), rate * NOISE_FACTOR, "noisy")) {
            run.recorder().mark("traffic");
            Thread.sleep(size.duration().toMillis());
        }
        run.trafficEnds();
    }

    /** The broken job's records all parked and only those; the noisy one's all delivered. */
    private static void checkIsolation(ScenarioRun run, DeliveryAudit.Result audit) {
        SentLedger sent = run.sent();
        long brokenParked = audit.parkedByJob().getOrDefault(BROKEN_JOB, 0L);
        run.check(
                Check.equal(
                        "broken destination's records parked",
                        sent.ackedCount(BROKEN),
                        brokenParked));
        run.check(
                Check.equal(
                        "broken destination's records delivered",
                        0,
                        audit.deliveredByJob().getOrDefault(BROKEN_JOB, 0L)));
        run.check(Check.equal("other jobs' records parked", 0, audit.parked() - brokenParked));
        run.check(
                Check.equal(
                        "noisy customer's records delivered",
                        sent.ackedCount(NOISY),
                        audit.deliveredByJob().getOrDefault(NOISY_JOB, 0L)));
        run.put("recordsSentNoisy", sent.ackedCount(NOISY));
        run.put("recordsSentBroken", sent.ackedCount(BROKEN));
    }
}
