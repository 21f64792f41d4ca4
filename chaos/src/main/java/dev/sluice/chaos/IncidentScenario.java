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
 * The 14 November 2024 incident, replayed: steady traffic for configured customers; at T a blank
 * config snapshot is published and, at the same moment, 40 times as many unconfigured customers
 * start sending (the fail-open forwarder); later the correct config is published again. Sluice must
 * refuse the blank snapshot, keep delivering every configured record within the job's interval,
 * create no state for the unconfigured customers, stay flat in heap and state, and never restart.
 */
public final class IncidentScenario implements Scenario {

    /** The incident's ratio of unconfigured to configured customers. */
    static final int FLOOD_FACTOR = 40;

    /** Slack on top of the job's interval for a batch's checkpoint, commit and our polling. */
    static final long LATENCY_SLACK_MILLIS = 10_000;

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
        List<Check> checks = new ArrayList<>();
        Map<String, Object> series = new LinkedHashMap<>();
        try (ChaosRig rig = ChaosRig.start(dataDir, RigSettings.defaults(), log)) {
            List<String> configured = ChaosJobs.customers("c", size.customers());
            List<String> unconfigured = ChaosJobs.customers("u", size.customers() * FLOOD_FACTOR);
            ChaosJobs jobs = new ChaosJobs(rig.s3(), rig.s3().endpoint());
            Map<Long, String> jobIds = new HashMap<>();
            for (int i = 0; i < configured.size(); i++) {
                jobs.add(i + 1, configured.get(i), ChaosRig.BUCKET, 1_000);
                jobIds.put(i + 1L, configured.get(i));
            }
            String config = jobs.snapshot(1);
            rig.submit(config);

            SentLedger sent = new SentLedger();
            long floodStart;
            long floodEnd;
            long end;
            double versionDuringFlood;
            try (ChaosProducer producer = rig.producer(sent);
                    SeriesRecorder recorder = new SeriesRecorder(rig);
                    DeliveryWatch watch = new DeliveryWatch(rig.s3Client(), ChaosRig.BUCKET)) {
                double rate = size.perCustomerPerSecond() * configured.size();
                log.printf(
                        "Steady: %d configured customers, %.0f records/s%n",
                        configured.size(), rate);
                try (Traffic steady = Traffic.start(producer, configured, rate, "steady")) {
                    recorder.mark("steady traffic");
                    Thread.sleep(size.steady().toMillis());

                    log.printf(
                            "T: blank snapshot, and %d unconfigured customers at %.0f records/s%n",
                            unconfigured.size(), rate * FLOOD_FACTOR);
                    floodStart = System.currentTimeMillis();
                    recorder.mark("blank config and flood");
                    rig.publishConfig("{\"version\": 2, \"jobs\": []}");
                    try (Traffic flood =
                            Traffic.start(producer, unconfigured, rate * FLOOD_FACTOR, "flood")) {
                        Thread.sleep(size.flood().toMillis());
                        versionDuringFlood =
                                rig.scrape().max(PrometheusScrape.SLUICE + "configVersion");
                    }
                    floodEnd = System.currentTimeMillis();
                    log.printf("Correct config returns%n");
                    recorder.mark("flood ends, correct config returns");
                    rig.publishConfig(jobs.snapshot(3));
                    Thread.sleep(size.after().toMillis());
                }
                producer.flush();
                end = System.currentTimeMillis();
                recorder.mark("traffic ends");

                long floodSent = 0;
                for (String u : unconfigured) {
                    floodSent += sent.ackedCount(u);
                }
                long configuredSent = 0;
                for (String c : configured) {
                    configuredSent += sent.ackedCount(c);
                }
                double dropped =
                        JobChecks.awaitMetric(
                                rig,
                                s -> s.sluice("dropped_records", "dropped=\"unconfigured\""),
                                floodSent,
                                Duration.ofSeconds(60));
                PrometheusScrape scrape = rig.scrape();
                checks.add(
                        Check.equal(
                                "blank snapshot rejected (configUpdatesRejected, each router)",
                                1,
                                (long)
                                        scrape.min(
                                                PrometheusScrape.SLUICE
                                                        + "configUpdatesRejected")));
                checks.add(
                        Check.equal(
                                "config version in force during the flood",
                                1,
                                (long) versionDuringFlood));
                checks.add(
                        Check.equal(
                                "unconfigured records dropped by the router (vs sent)",
                                floodSent,
                                (long) dropped));
                checks.add(
                        Check.atMost(
                                "open batches, all buffer subtasks (max)",
                                configured.size(),
                                recorder.max("activeJobs")));
                double t0 = recorder.seconds(floodStart);
                double steadyHeap = recorder.max("heapAfterGcMiB", 0, t0);
                double floodHeap = recorder.max("heapAfterGcMiB", t0, recorder.seconds(end));
                checks.add(
                        Check.atMost(
                                "heap after GC from T on, MiB (max; 1.5x before T + 64)",
                                steadyHeap * 1.5 + 64,
                                floodHeap));
                double steadyState = recorder.max("checkpointStateBytes", 0, t0);
                double floodState = recorder.max("checkpointStateBytes", t0, recorder.seconds(end));
                checks.add(
                        Check.atMost(
                                "checkpointed state from T on, bytes (max; 2x before T + 1 MiB)",
                                steadyState * 2 + 1024 * 1024,
                                floodState));
                long bound = ChaosJobs.INTERVAL_SECONDS * 1000L + LATENCY_SLACK_MILLIS;
                checks.add(
                        Check.atMost(
                                "configured jobs' delivery latency from T on, s (max)",
                                bound / 1000.0,
                                watch.maxLatencyMillis(jobIds.keySet(), floodStart, end) / 1000.0));
                checks.add(
                        Check.atMost(
                                "longest a configured job went without an object from T on, s",
                                bound / 1000.0,
                                watch.maxGapMillis(jobIds.keySet(), floodStart, end) / 1000.0));
                checks.add(JobChecks.noRestarts(rig));
                series.put("recordsSentConfigured", configuredSent);
                series.put("recordsSentUnconfigured", floodSent);
                series.put("floodSeconds", (floodEnd - floodStart) / 1000.0);
                rig.drain();
                series.putAll(recorder.toReport());
            }
            rig.audit(sent, jobIds).addTo("configured", checks, series);
        }
        return new Verdict(name(), checks, series);
    }
}
