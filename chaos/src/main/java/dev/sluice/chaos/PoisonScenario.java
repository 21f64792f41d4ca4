package dev.sluice.chaos;

import dev.sluice.local.PrometheusScrape;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Poison everywhere at once while good tenants deliver: tombstones, garbage and unusable upserts on
 * the config topic, then one good upsert that must take; null, empty, random and truncated values
 * on the logs topic; and one tenant's store failing each way an S3-compatible store fails (403,
 * 404, 500, too slow, connection refused). No task may fail: the good tenants' records arrive once,
 * the broken tenants' are parked with their reason, the poison is refused and counted.
 */
public final class PoisonScenario implements Scenario {

    private static final String LATE = "late0001";
    private static final long LATE_JOB = 300;
    private static final int LATE_VERSION = 10_000;
    private static final int FIRST_POISON_VERSION = 10;
    private static final long SEED = 20_241_114;

    /**
     * The config source's refusals by reason: the Kafka source opens its deserializer under a
     * {@code deserializer} group, and {@code reason} is a key-value group, so a label.
     */
    static final String CONFIG_SOURCE_REJECTED =
            "flink_taskmanager_job_task_operator_deserializer_sluice_reason_configUpdatesRejected";

    /** Sizes of a run. */
    record Size(
            int customers,
            double perCustomerPerSecond,
            int logPoisonPerKind,
            int configPoisonRounds,
            Duration before,
            Duration after) {}

    static final Size QUICK = new Size(3, 30, 20, 2, Duration.ofSeconds(3), Duration.ofSeconds(10));
    static final Size FULL =
            new Size(10, 30, 500, 20, Duration.ofSeconds(20), Duration.ofSeconds(60));

    @Override
    public String name() {
        return "poison";
    }

    @Override
    public String description() {
        return "poison on the config and logs topics, five tenants' stores broken five ways";
    }

    @Override
    public Verdict run(Path dataDir, boolean quick, PrintStream log) throws Exception {
        Size size = quick ? QUICK : FULL;
        try (ScenarioRun run = ScenarioRun.start(dataDir, RigSettings.defaults(), log);
                BrokenStores stores = new BrokenStores(run.rig().s3())) {
            ScenarioRun.Tenants good = run.tenants(size.customers());
            Map<Long, String> jobIds = new LinkedHashMap<>(good.jobIds());
            List<String> steady = new ArrayList<>(good.customers());
            for (Breakage b : Breakage.values()) {
                good.jobs()
                        .addWithDestination(b.jobId(), b.customer(), stores.destination(b), 1_000);
                jobIds.put(b.jobId(), b.customer());
                steady.add(b.customer());
            }
            run.submit(good.jobs());
            jobIds.put(LATE_JOB, LATE);
            Map<LogPoison, Integer> logPoison;
            try (Traffic traffic =
                    Traffic.start(
                            run.producer(),
                            steady,
                            size.perCustomerPerSecond() * steady.size(),
                            "steady")) {
                Thread.sleep(size.before().toMillis());
                logPoison = sendLogPoison(run, size);
                sendConfigPoison(run, size, good.jobs().destination(ChaosRig.BUCKET, LATE));
                takeLateJob(run, size, good.jobs());
            }
            run.trafficEnds();
            checkDeadLetters(run, logPoison);
            checkCounted(run, size, logPoison);
            run.checkNoRestarts();
            run.put("brokenStores", stores.summary());
            run.drain();
            checkParked(run, run.audit("all", jobIds));
            return run.verdict(name());
        }
    }

    /** Sends {@code logPoisonPerKind} values of each kind; returns how many of each. */
    private static Map<LogPoison, Integer> sendLogPoison(ScenarioRun run, Size size) {
        run.recorder().mark("log poison");
        Random random = new Random(SEED);
        Map<LogPoison, Integer> sent = new EnumMap<>(LogPoison.class);
        for (int n = 0; n < size.logPoisonPerKind(); n++) {
            for (LogPoison kind : LogPoison.values()) {
                run.producer().sendRaw("poison", kind.value(n, random));
                sent.merge(kind, 1, Integer::sum);
            }
        }
        run.producer().flush();
        run.log().printf("Log poison: %s%n", sent);
        return sent;
    }

    /** Publishes {@code configPoisonRounds} rounds of every kind of config poison. */
    private static void sendConfigPoison(ScenarioRun run, Size size, String destination) {
        run.recorder().mark("config poison");
        List<ChaosRig.ConfigRecord> records = new ArrayList<>();
        for (int round = 0; round < size.configPoisonRounds(); round++) {
            int version = FIRST_POISON_VERSION + round * ConfigPoison.versionsPerRound();
            for (ConfigPoison.Message m : ConfigPoison.round(version, destination)) {
                records.add(m.record());
            }
        }
        run.log().printf("Config poison: %d records%n", records.size());
        run.rig().publishConfigRecords(records);
    }

    /**
     * Publishes the good upsert of a new job after the poison, checks it comes into force on every
     * router, then sends its customer's records with the others' for a while.
     */
    private static void takeLateJob(ScenarioRun run, Size size, ChaosJobs jobs)
            throws InterruptedException {
        String job = ChaosJobs.job(LATE_JOB, LATE, jobs.destination(ChaosRig.BUCKET, LATE), 1_000);
        run.rig().publishConfig("{\"version\": " + LATE_VERSION + ", \"upsert\": " + job + "}");
        double version =
                JobChecks.awaitMetric(
                        run.rig(),
                        s -> s.min(PrometheusScrape.SLUICE + "configVersion"),
                        LATE_VERSION,
                        Duration.ofSeconds(60));
        run.check(
                Check.equal(
                        "good upsert after the poison in force (configVersion, each router)",
                        LATE_VERSION,
                        (long) version));
        run.recorder().mark("late job");
        try (Traffic late =
                Traffic.start(run.producer(), List.of(LATE), size.perCustomerPerSecond(), "late")) {
            Thread.sleep(size.after().toMillis());
        }
    }

    /**
     * Every log poison value dead-lettered once; the null and empty ones as {@code empty value}.
     */
    private static void checkDeadLetters(ScenarioRun run, Map<LogPoison, Integer> sent) {
        long total = sum(sent);
        List<DeadLetters.Letter> letters =
                DeadLetters.read(
                        run.rig().kafka().bootstrapServers(),
                        ChaosRig.DLQ_TOPIC,
                        total,
                        Duration.ofSeconds(60));
        run.check(Check.equal("dead letters (every log poison value)", total, letters.size()));
        long empty =
                sent.entrySet().stream()
                        .filter(e -> e.getKey().empty())
                        .mapToLong(Map.Entry::getValue)
                        .sum();
        run.check(
                Check.equal(
                        "dead letters '" + LogPoison.EMPTY_REASON + "' (null, empty)",
                        empty,
                        letters.stream()
                                .filter(l -> l.reason().equals(LogPoison.EMPTY_REASON))
                                .count()));
        run.put("deadLetters", letters.size());
    }

    /** The job counted the log poison undecodable, and each config poison by where it stopped. */
    private static void checkCounted(ScenarioRun run, Size size, Map<LogPoison, Integer> sent)
            throws Exception {
        PrometheusScrape scrape = run.rig().scrape();
        run.check(
                Check.equal(
                        "log poison counted (dropped.undecodable)",
                        sum(sent),
                        (long) scrape.sluice("dropped_records", "dropped=\"undecodable\"")));
        List<ConfigPoison.Message> round = ConfigPoison.round(0, "");
        long tombstones = round.stream().filter(ConfigPoison.Message::tombstone).count();
        long reviewed = round.size() - tombstones;
        run.check(
                Check.equal(
                        "config tombstones counted (reason.tombstone.configUpdatesRejected)",
                        tombstones * size.configPoisonRounds(),
                        (long) scrape.sum(CONFIG_SOURCE_REJECTED, "reason=\"tombstone\"")));
        run.check(
                Check.equal(
                        "config poison refused by the review (configUpdatesRejected, each router)",
                        reviewed * size.configPoisonRounds(),
                        (long) scrape.min(PrometheusScrape.SLUICE + "configUpdatesRejected")));
        run.put("configPoisonSent", round.size() * size.configPoisonRounds());
    }

    /**
     * Each broken tenant's records all parked, none delivered, every parked object with a reason
     * naming its failure; no good tenant's record parked.
     */
    private static void checkParked(ScenarioRun run, DeliveryAudit.Result audit) {
        Map<String, List<String>> reasons = ParkedReasons.read(run.rig().s3Client());
        long brokenParked = 0;
        for (Breakage b : Breakage.values()) {
            long parked = audit.parkedByJob().getOrDefault(b.jobId(), 0L);
            brokenParked += parked;
            String tenant = b.customer() + " (" + b.label + ")";
            run.check(
                    Check.equal(
                            tenant + ": records parked",
                            run.sent().ackedCount(b.customer()),
                            parked));
            run.check(
                    Check.equal(
                            tenant + ": records delivered",
                            0,
                            audit.deliveredByJob().getOrDefault(b.jobId(), 0L)));
            List<String> own = reasons.getOrDefault(b.customer(), List.of());
            // A batch parked untried during its destination's cooldown names the failure that
            // started the cooldown, so every parked object says why.
            long naming = own.stream().filter(r -> r.contains(b.reasonMentions)).count();
            run.check(
                    Check.that(
                            tenant + ": parked objects' reason",
                            "every one names '" + b.reasonMentions + "'",
                            naming + " of " + own.size() + " objects",
                            !own.isEmpty() && naming == own.size()));
        }
        run.check(Check.equal("good tenants' records parked", 0, audit.parked() - brokenParked));
        long late = run.sent().ackedCount(LATE);
        long lateDelivered = audit.deliveredByJob().getOrDefault(LATE_JOB, 0L);
        run.check(
                Check.that(
                        "good upsert's job: records delivered",
                        "all sent, > 0",
                        lateDelivered + " of " + late,
                        late > 0 && lateDelivered == late));
        run.put("parkedReasons", reasons);
        Map<String, String> broken = new LinkedHashMap<>();
        for (Breakage b : Breakage.values()) {
            broken.put(b.customer(), b.what);
        }
        run.put("brokenTenants", broken);
    }

    private static long sum(Map<LogPoison, Integer> sent) {
        return sent.values().stream().mapToLong(Integer::longValue).sum();
    }
}
