package dev.sluice.chaos;

import dev.sluice.local.PrometheusScrape;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The 14 November 2024 incident, replayed: steady traffic for configured customers; at T a blank
 * config snapshot is published and, at the same moment, 40 times as many unconfigured customers
 * start sending (the fail-open forwarder); later the correct config is published again. Sluice must
 * refuse the blank snapshot, keep delivering every configured record within the job's interval,
 * create no state for the unconfigured customers, stay flat in heap and state, and never restart.
 */
public final class IncidentScenario implements Scenario {

    /** The incident's ratio of unconfigured to configured customers. */
    static final int FLOOD_FACTOR = 40;

    /** Sizes of a run. */
    record Size(
            int customers,
            double perCustomerPerSecond,
            Duration steady,
            Duration flood,
            Duration after) {}

    static final Size QUICK =
            new Size(5, 40, Duration.ofSeconds(15), Duration.ofSeconds(25), Duration.ofSeconds(10));
    static final Size FULL =
            new Size(
                    20, 20, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));

    @Override
    public String name() {
        return "incident";
    }

    @Override
    public String description() {
        return "blank config plus 40x unconfigured customers at once; the correct config returns";
    }

    @Override
    public Verdict run(Path dataDir, boolean quick, PrintStream log) throws Exception {
        Size size = quick ? QUICK : FULL;
        try (ScenarioRun run = ScenarioRun.start(dataDir, RigSettings.defaults(), log)) {
            ScenarioRun.Tenants tenants = run.submit(run.tenants(size.customers()));
            List<String> configured = tenants.customers();
            try (DeliveryWatch watch = new DeliveryWatch(run.rig().s3Client(), ChaosRig.BUCKET)) {
                Flood flood = replay(run, size, configured, tenants.jobs());
                checkRouter(run, flood);
                checkFlat(run, flood, configured.size());
                run.check(
                        JobChecks.deliveredWithinInterval(
                                watch,
                                tenants.jobIds().keySet(),
                                flood.start(),
                                flood.trafficEnd(),
                                "configured jobs' delivery latency from T on, s (max)",
                                "longest a configured job went without an object from T on, s"));
                run.checkNoRestarts();
                run.put("recordsSentConfigured", sentBy(run.sent(), configured));
                run.put("recordsSentUnconfigured", flood.sent());
                run.put("floodSeconds", (flood.end() - flood.start()) / 1000.0);
                run.drain();
            }
            run.audit("configured", tenants.jobIds());
            return run.verdict(name());
        }
    }

    /**
     * When the flood started and ended and the traffic ended (milliseconds), the config version in
     * force during the flood, and the flood's records sent.
     */
    private record Flood(long start, long end, long trafficEnd, double version, long sent) {}

    /** Steady traffic; at T the blank snapshot and the flood; then the correct config again. */
    private static Flood replay(ScenarioRun run, Size size, List<String> configured, ChaosJobs jobs)
            throws Exception {
        List<String> unconfigured = ChaosJobs.customers("u", size.customers() * FLOOD_FACTOR);
        ChaosRig rig = run.rig();
        SeriesRecorder recorder = run.recorder();
        double rate = size.perCustomerPerSecond() * configured.size();
        run.log()
                .printf(
                        "Steady: %d configured customers, %.0f records/s%n",
                        configured.size(), rate);
        long floodStart;
        long floodEnd;
        double version;
        try (Traffic steady = Traffic.start(run.producer(), configured, rate, "steady")) {
            recorder.mark("steady traffic");
            Thread.sleep(size.steady().toMillis());
            run.log()
                    .printf(
                            "T: blank snapshot, and %d unconfigured customers at %.0f records/s%n",
                            unconfigured.size(), rate * FLOOD_FACTOR);
            floodStart = System.currentTimeMillis();
            recorder.mark("blank config and flood");
            rig.publishConfig("{\"version\": 2, \"jobs\": []}");
            try (Traffic flood =
                    Traffic.start(run.producer(), unconfigured, rate * FLOOD_FACTOR, "flood")) {
                Thread.sleep(size.flood().toMillis());
                version = rig.scrape().max(PrometheusScrape.SLUICE + "configVersion");
            }
            floodEnd = System.currentTimeMillis();
            run.log().printf("Correct config returns%n");
            recorder.mark("flood ends, correct config returns");
            rig.publishConfig(jobs.snapshot(3));
            Thread.sleep(size.after().toMillis());
        }
        run.trafficEnds();
        long end = System.currentTimeMillis();
        return new Flood(floodStart, floodEnd, end, version, sentBy(run.sent(), unconfigured));
    }

    /** The router refused the blank snapshot and dropped every unconfigured record. */
    private static void checkRouter(ScenarioRun run, Flood flood) throws Exception {
        double dropped =
                JobChecks.awaitMetric(
                        run.rig(),
                        s -> s.sluice("dropped_records", "dropped=\"unconfigured\""),
                        flood.sent(),
                        Duration.ofSeconds(60));
        PrometheusScrape scrape = run.rig().scrape();
        run.check(
                Check.equal(
                        "blank snapshot rejected (configUpdatesRejected, each router)",
                        1,
                        (long) scrape.min(PrometheusScrape.SLUICE + "configUpdatesRejected")));
        run.check(
                Check.equal("config version in force during the flood", 1, (long) flood.version()));
        run.check(
                Check.equal(
                        "unconfigured records dropped by the router (vs sent)",
                        flood.sent(),
                        (long) dropped));
    }

    /** No open batch for an unconfigured customer; heap and state flat from T on. */
    private static void checkFlat(ScenarioRun run, Flood flood, int configured) {
        SeriesRecorder recorder = run.recorder();
        run.check(
                Check.atMost(
                        "open batches, all buffer subtasks (max)",
                        configured,
                        recorder.max("activeJobs")));
        double t0 = recorder.seconds(flood.start());
        double end = recorder.seconds(flood.trafficEnd());
        run.check(
                JobChecks.heapStaysFlat(
                        "heap after GC from T on, MiB (max; 1.5x before T + 64)",
                        recorder,
                        t0,
                        end));
        double steadyState = recorder.max("checkpointStateBytes", 0, t0);
        run.check(
                Check.atMost(
                        "checkpointed state from T on, bytes (max; 2x before T + 1 MiB)",
                        steadyState * 2 + 1024 * 1024,
                        recorder.max("checkpointStateBytes", t0, end)));
    }

    private static long sentBy(SentLedger sent, List<String> customers) {
        return customers.stream().mapToLong(sent::ackedCount).sum();
    }
}
