package dev.sluice.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
        List<Check> checks = new ArrayList<>();
        Map<String, Object> series = new LinkedHashMap<>();
        try (ChaosRig rig = ChaosRig.start(dataDir, RigSettings.defaults(), log)) {
            List<String> quiet = ChaosJobs.customers("c", size.customers());
            String noisy = "noisy0001";
            String broken = "broken0001";
            ChaosJobs jobs = new ChaosJobs(rig.s3(), rig.s3().endpoint());
            Map<Long, String> jobIds = new HashMap<>();
            for (int i = 0; i < quiet.size(); i++) {
                jobs.add(i + 1, quiet.get(i), ChaosRig.BUCKET, 1_000);
                jobIds.put(i + 1L, quiet.get(i));
            }
            long noisyJob = 100;
            long brokenJob = 200;
            jobs.add(noisyJob, noisy, ChaosRig.BUCKET, 1_000);
            jobs.add(brokenJob, broken, MISSING_BUCKET, 1_000);
            jobIds.put(noisyJob, noisy);
            jobIds.put(brokenJob, broken);
            rig.submit(jobs.snapshot(1));

            SentLedger sent = new SentLedger();
            long start;
            long end;
            try (ChaosProducer producer = rig.producer(sent);
                    SeriesRecorder recorder = new SeriesRecorder(rig);
                    DeliveryWatch watch = new DeliveryWatch(rig.s3Client(), ChaosRig.BUCKET)) {
                List<String> steady = new ArrayList<>(quiet);
                steady.add(broken);
                double rate = size.perCustomerPerSecond();
                log.printf(
                        "%d quiet customers and a broken one at %.0f/s each, one at %.0f/s%n",
                        quiet.size(), rate, rate * NOISE_FACTOR);
                start = System.currentTimeMillis();
                try (Traffic normal =
                                Traffic.start(producer, steady, rate * steady.size(), "quiet");
                        Traffic loud =
                                Traffic.start(
                                        producer, List.of(noisy), rate * NOISE_FACTOR, "noisy")) {
                    recorder.mark("traffic");
                    Thread.sleep(size.duration().toMillis());
                }
                producer.flush();
                end = System.currentTimeMillis();
                recorder.mark("traffic ends");
                long bound =
                        ChaosJobs.INTERVAL_SECONDS * 1000L + IncidentScenario.LATENCY_SLACK_MILLIS;
                List<Long> quietJobs = new ArrayList<>();
                for (int i = 0; i < quiet.size(); i++) {
                    quietJobs.add(i + 1L);
                }
                checks.add(
                        Check.atMost(
                                "quiet customers' delivery latency, s (max)",
                                bound / 1000.0,
                                watch.maxLatencyMillis(quietJobs, start, end) / 1000.0));
                checks.add(
                        Check.atMost(
                                "longest a quiet customer went without an object, s",
                                bound / 1000.0,
                                watch.maxGapMillis(quietJobs, start, end) / 1000.0));
                checks.add(JobChecks.noRestarts(rig));
                rig.drain();
                series.putAll(recorder.toReport());
                series.put(
                        "latencyMillisByObject",
                        watch.seen().stream()
                                .map(s -> List.of(s.jobId(), s.latencyMillis()))
                                .toList());
            }
            DeliveryAudit.Result audit = rig.audit(sent, jobIds).addTo("all", checks, series);
            checks.add(
                    Check.equal(
                            "broken destination's records parked",
                            sent.ackedCount(broken),
                            audit.parkedByJob().getOrDefault(brokenJob, 0L)));
            checks.add(
                    Check.equal(
                            "broken destination's records delivered",
                            0,
                            audit.deliveredByJob().getOrDefault(brokenJob, 0L)));
            checks.add(
                    Check.equal(
                            "other jobs' records parked",
                            0,
                            audit.parked() - audit.parkedByJob().getOrDefault(brokenJob, 0L)));
            checks.add(
                    Check.equal(
                            "noisy customer's records delivered",
                            sent.ackedCount(noisy),
                            audit.deliveredByJob().getOrDefault(noisyJob, 0L)));
            series.put("recordsSentNoisy", sent.ackedCount(noisy));
            series.put("recordsSentBroken", sent.ackedCount(broken));
        }
        return new Verdict(name(), checks, series);
    }
}
