package dev.sluice.chaos;

import dev.sluice.local.FlinkRest;

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
        return "TaskManagers killed at random, during checkpoints and during commits (RocksDB"
                + " state, incremental checkpoints)";
    }

    @Override
    public Verdict run(Path dataDir, boolean quick, PrintStream log) throws Exception {
        Size size = quick ? QUICK : FULL;
        long seed = System.currentTimeMillis();
        // The state a cluster runs: the buffer's write-back to RocksDB at barriers is what a
        // kill between barriers must never turn into a lost or repeated record.
        RigSettings rigSettings =
                RigSettings.defaults()
                        .withCheckpointInterval(size.checkpointInterval())
                        .with("state.backend.type", "rocksdb")
                        .with("execution.checkpointing.incremental", "true");
        try (ScenarioRun run = ScenarioRun.start(dataDir, rigSettings, log)) {
            run.put("seed", seed);
            ScenarioRun.Tenants tenants = run.submit(run.tenants(size.customers()));
            List<Map<String, Object>> kills =
                    killWhileSending(run, size, tenants.customers(), seed);
            run.rig().awaitCheckpointAfter(System.currentTimeMillis(), RECOVERY_TIMEOUT);
            int failures = run.rig().rest().failures(run.rig().job()).size();
            run.drain();
            checkKills(run, size, kills, failures);
            run.audit("all", tenants.jobIds());
            return run.verdict(name());
        }
    }

    /** Sends the records while killing TaskManagers on a schedule spread over the traffic. */
    private static List<Map<String, Object>> killWhileSending(
            ScenarioRun run, Size size, List<String> customers, long seed) throws Exception {
        Random random = new Random(seed);
        double seconds = size.records() / size.perSecond();
        long spacingMillis = (long) (seconds * 1000 / (size.kills() + 1));
        run.log()
                .printf(
                        Locale.ROOT,
                        "%d records at %.0f/s for %d customers; %d kills about every %.1f s"
                                + " (seed %d)%n",
                        size.records(),
                        size.perSecond(),
                        size.customers(),
                        size.kills(),
                        spacingMillis / 1000.0,
                        seed);
        List<Map<String, Object>> kills = new ArrayList<>();
        try (Traffic traffic =
                Traffic.start(
                        run.producer(), customers, size.perSecond(), size.records(), "steady")) {
            long start = System.currentTimeMillis();
            for (int i = 0; i < size.kills(); i++) {
                // On a schedule spread over the traffic, each kill at a random point of its slot;
                // a kill whose recovery ran late is followed at once.
                long due = start + (long) (spacingMillis * (i + 0.5 + random.nextDouble()));
                Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
                Moment moment = moment(i, random);
                long sentBefore = traffic.sent();
                Map<String, Object> kill = kill(run.rig(), moment, random);
                kill.put("recordsSentBefore", sentBefore);
                run.recorder().mark("kill " + (i + 1) + " " + moment);
                kills.add(kill);
                run.log().printf("Kill %d: %s%n", i + 1, kill);
            }
            traffic.awaitDone();
        }
        run.trafficEnds();
        return kills;
    }

    /** The first three kills during, right after and during a checkpoint; the rest at random. */
    private static Moment moment(int kill, Random random) {
        if (kill == 0 || kill == 2) {
            return Moment.DURING_CHECKPOINT;
        }
        return kill == 1 ? Moment.AFTER_CHECKPOINT_COMPLETED : Moment.values()[random.nextInt(3)];
    }

    /** Every kill happened, at the moments asked for, and each failed the job. */
    private static void checkKills(
            ScenarioRun run, Size size, List<Map<String, Object>> kills, int failures) {
        long duringCheckpoint =
                kills.stream()
                        .filter(k -> Boolean.TRUE.equals(k.get("checkpointInProgress")))
                        .count();
        String afterCompleted = Moment.AFTER_CHECKPOINT_COMPLETED.name();
        long afterCommitted =
                kills.stream().filter(k -> afterCompleted.equals(k.get("moment"))).count();
        double[] recoveries =
                kills.stream()
                        .mapToDouble(k -> (Double) k.get("recoverySeconds"))
                        .sorted()
                        .toArray();
        long sent = run.sent().ackedTotal();
        run.check(Check.atLeast("records sent (acknowledged)", size.records(), sent));
        run.check(Check.atLeast("TaskManagers killed", size.kills(), kills.size()));
        run.check(Check.atLeast("kills while a checkpoint was in progress", 1, duringCheckpoint));
        run.check(
                Check.atLeast(
                        "kills right after a checkpoint completed (commits)", 1, afterCommitted));
        run.check(
                Check.atLeast("job failures seen by Flink (one per kill)", kills.size(), failures));
        run.put("kills", kills);
        run.put("recoverySecondsMedian", recoveries[recoveries.length / 2]);
        run.put("recoverySecondsMax", recoveries[recoveries.length - 1]);
        run.put("recordsSent", sent);
        run.put("failures", failures);
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
        kill.put("failuresAfter", rest.failures(rig.job()).size());
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
