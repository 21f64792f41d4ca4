package dev.sluice.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * TaskManagers killed at random while records flow, at least one while a checkpoint is in progress
 * and one right after a checkpoint completed (while its objects are being committed). A new
 * TaskManager replaces each; the job restarts from its last checkpoint each time. Afterwards every
 * record must be in exactly one whole object of its own customer, and no upload left behind.
 *
 * <p>The MiniCluster has one TaskManager, which runs every task: each kill fails the job, which
 * waits for the replacement's slots and restarts from its last checkpoint.
 */
public final class KillsScenario implements Scenario {

    /** When in the checkpoint cycle a kill lands. */
    enum Moment {
        RANDOM,
        DURING_CHECKPOINT,
        AFTER_CHECKPOINT_COMPLETED
    }

    /** Sizes of a run. */
    record Size(
            int customers,
            long records,
            double perSecond,
            int kills,
            Duration checkpointInterval) {}

    static final Size QUICK = new Size(6, 30_000, 2_000, 3, Duration.ofSeconds(1));
    static final Size FULL = new Size(20, 1_000_000, 5_000, 24, Duration.ofSeconds(2));

    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(2);

    @Override
    public String name() {
        return "kills";
    }

    @Override
    public String description() {
        return "TaskManagers killed at random, during checkpoints and during commits";
    }

    @Override
    public Verdict run(Path dataDir, boolean quick, PrintStream log) throws Exception {
        Size size = quick ? QUICK : FULL;
        long seed = System.currentTimeMillis();
        Random random = new Random(seed);
        List<Check> checks = new ArrayList<>();
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("seed", seed);
        RigSettings rigSettings =
                RigSettings.defaults().withCheckpointInterval(size.checkpointInterval());
        try (ChaosRig rig = ChaosRig.start(dataDir, rigSettings, log)) {
            List<String> customers = ChaosJobs.customers("c", size.customers());
            ChaosJobs jobs = new ChaosJobs(rig.s3(), rig.s3().endpoint());
            Map<Long, String> jobIds = jobs.addOnePerCustomer(customers, ChaosRig.BUCKET, 1_000);
            rig.submit(jobs.snapshot(1));

            SentLedger sent = new SentLedger();
            List<Map<String, Object>> kills = new ArrayList<>();
            try (ChaosProducer producer = rig.producer(sent);
                    SeriesRecorder recorder = new SeriesRecorder(rig)) {
                double seconds = size.records() / size.perSecond();
                long spacingMillis = (long) (seconds * 1000 / (size.kills() + 1));
                log.printf(
                        Locale.ROOT,
                        "%d records at %.0f/s for %d customers; %d kills about every %.1f s (seed"
                                + " %d)%n",
                        size.records(),
                        size.perSecond(),
                        size.customers(),
                        size.kills(),
                        spacingMillis / 1000.0,
                        seed);
                try (Traffic traffic =
                        Traffic.start(
                                producer, customers, size.perSecond(), size.records(), "steady")) {
                    long start = System.currentTimeMillis();
                    for (int i = 0; i < size.kills(); i++) {
                        // On a schedule spread over the traffic, each kill at a random point of
                        // its slot; a kill whose recovery ran late is followed at once.
                        long due = start + (long) (spacingMillis * (i + 0.5 + random.nextDouble()));
                        Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
                        Moment moment =
                                i == 0 || i == 2
                                        ? Moment.DURING_CHECKPOINT
                                        : i == 1
                                                ? Moment.AFTER_CHECKPOINT_COMPLETED
                                                : Moment.values()[random.nextInt(3)];
                        long sentBefore = traffic.sent();
                        Map<String, Object> kill = kill(rig, moment, random);
                        kill.put("recordsSentBefore", sentBefore);
                        recorder.mark("kill " + (i + 1) + " " + moment);
                        kills.add(kill);
                        log.printf("Kill %d: %s%n", i + 1, kill);
                    }
                    traffic.awaitDone();
                }
                producer.flush();
                recorder.mark("traffic ends");
                rig.awaitCheckpointAfter(System.currentTimeMillis(), RECOVERY_TIMEOUT);
                int failures = rig.rest().failures(rig.job());
                rig.drain();
                series.putAll(recorder.toReport());

                long duringCheckpoint =
                        kills.stream()
                                .filter(k -> Boolean.TRUE.equals(k.get("checkpointInProgress")))
                                .count();
                long afterCompleted =
                        kills.stream()
                                .filter(
                                        k ->
                                                Moment.AFTER_CHECKPOINT_COMPLETED
                                                        .name()
                                                        .equals(k.get("moment")))
                                .count();
                double[] recoveries =
                        kills.stream()
                                .mapToDouble(k -> (Double) k.get("recoverySeconds"))
                                .sorted()
                                .toArray();
                checks.add(
                        Check.atLeast(
                                "records sent (acknowledged)", size.records(), sent.ackedTotal()));
                checks.add(Check.atLeast("TaskManagers killed", size.kills(), kills.size()));
                checks.add(
                        Check.atLeast(
                                "kills while a checkpoint was in progress", 1, duringCheckpoint));
                checks.add(
                        Check.atLeast(
                                "kills right after a checkpoint completed (commits)",
                                1,
                                afterCompleted));
                checks.add(
                        Check.atLeast(
                                "job failures seen by Flink (one per kill)",
                                kills.size(),
                                failures));
                series.put("kills", kills);
                series.put("recoverySecondsMedian", recoveries[recoveries.length / 2]);
                series.put("recoverySecondsMax", recoveries[recoveries.length - 1]);
                series.put("recordsSent", sent.ackedTotal());
                series.put("failures", failures);
            }
            rig.audit(sent, jobIds).addTo("all", checks, series);
        }
        return new Verdict(name(), checks, series);
    }

    /**
     * Kills a TaskManager at the given moment and waits for the job to recover: a checkpoint
     * completed after the kill, which needs every task running again.
     */
    private static Map<String, Object> kill(ChaosRig rig, Moment moment, Random random)
            throws Exception {
        FlinkRest rest = rig.rest();
        boolean inProgress = false;
        if (moment == Moment.DURING_CHECKPOINT) {
            rig.triggerCheckpoint();
            inProgress = awaitInProgress(rig, Duration.ofSeconds(5));
        } else if (moment == Moment.AFTER_CHECKPOINT_COMPLETED) {
            long completed = rest.checkpoints(rig.job()).completed();
            long deadline = System.currentTimeMillis() + 30_000;
            while (rest.checkpoints(rig.job()).completed() <= completed
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(2);
            }
        } else {
            inProgress = rest.checkpoints(rig.job()).inProgress() > 0;
        }
        // Killed the moment the condition was seen: no further request in between.
        long killedAt = System.currentTimeMillis();
        int taskManager = rig.killTaskManager(random);
        long recovered = rig.awaitCheckpointAfter(killedAt, RECOVERY_TIMEOUT);
        Map<String, Object> kill = new LinkedHashMap<>();
        kill.put("moment", moment.name());
        kill.put("taskManager", taskManager);
        kill.put("checkpointInProgress", inProgress);
        kill.put("recoverySeconds", (recovered - killedAt) / 1000.0);
        kill.put("failuresAfter", rest.failures(rig.job()));
        return kill;
    }

    /** Waits until a checkpoint is in progress; false if none was seen in time. */
    private static boolean awaitInProgress(ChaosRig rig, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (rig.rest().checkpoints(rig.job()).inProgress() > 0) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }
}
