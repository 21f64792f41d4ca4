package dev.sluice.chaos;

import dev.sluice.config.ConfigParser;
import dev.sluice.config.ConfigReview;
import dev.sluice.config.ConfigSnapshot;
import dev.sluice.config.ConfigUpdate;
import dev.sluice.config.ConfigVerdict;
import dev.sluice.config.GuardSettings;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.VersionedConfig;
import dev.sluice.local.PrometheusScrape;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bad input of every kind while configured customers send steadily: malformed and truncated Avro,
 * unknown schema fingerprints, a drifted schema, blank envelope fields, oversize records, odd event
 * fields (missing, wrong-typed: valid input that must be delivered as it is), configs with invalid
 * destinations, path traversal and huge filters, and a flood of config updates. Each bad value must
 * reach the dead-letter topic with its reason and be counted, each bad config be rejected and
 * counted, the flood be applied, the job keep running, and every good record be delivered once.
 */
public final class BadInputScenario implements Scenario {

    private static final int DECOY_JOB = 9_000;
    private static final int BAD_CONFIG_KINDS = 3;
    private static final GuardSettings GUARD = GuardSettings.defaults();
    private static final int FIRST_BAD_CONFIG_VERSION = 100;
    private static final int FIRST_FLOOD_VERSION = 1_000;

    /** Sizes of a run. */
    record Size(
            int customers,
            double perSecond,
            int badPerKind,
            int badConfigsPerKind,
            int configFlood) {}

    static final Size QUICK = new Size(4, 200, 20, 3, 3_000);
    static final Size FULL = new Size(10, 1_000, 500, 20, 20_000);

    @Override
    public String name() {
        return "bad-input";
    }

    @Override
    public String description() {
        return "malformed, truncated, unknown, oversize and odd records; invalid configs; a config"
                + " flood";
    }

    @Override
    public Verdict run(Path dataDir, boolean quick, PrintStream log) throws Exception {
        Size size = quick ? QUICK : FULL;
        RigSettings rigSettings =
                RigSettings.defaults()
                        .with("sluice.route.max-record-bytes", BadInput.MAX_RECORD_BYTES + " b");
        try (ScenarioRun run = ScenarioRun.start(dataDir, rigSettings, log)) {
            ScenarioRun.Tenants tenants = run.submit(run.tenants(size.customers()));
            List<String> customers = tenants.customers();
            ChaosJobs jobs = tenants.jobs();
            Map<BadInput, Integer> badSent;
            try (Traffic steady =
                    Traffic.start(run.producer(), customers, size.perSecond(), "steady")) {
                Thread.sleep(3_000);
                badSent = sendBadRecords(run, size, customers);
                sendBadConfigs(run, size, jobs);
                floodConfigs(run, size, jobs);
                Thread.sleep(3_000);
            }
            run.trafficEnds();
            List<DeadLetters.Letter> letters = checkDeadLetters(run, badSent);
            checkCounted(run, size, badSent);
            run.checkNoRestarts();
            String state = run.rig().status().name();
            run.check(
                    Check.that(
                            "job state before the drain",
                            "RUNNING",
                            state,
                            state.equals("RUNNING")));
            run.put("badRecordsSent", badSent);
            run.put("deadLetters", letters.size());
            run.put("goodRecordsSent", run.sent().ackedTotal());
            run.drain();
            run.audit("good", tenants.jobIds());
            return run.verdict(name());
        }
    }

    /**
     * Sends {@code badPerKind} values of each kind of bad input, and valid records with odd event
     * fields, which must be delivered as they are; returns the bad values sent by kind.
     */
    private static Map<BadInput, Integer> sendBadRecords(
            ScenarioRun run, Size size, List<String> customers) {
        run.recorder().mark("bad records");
        run.log()
                .printf(
                        "Bad records: %d of each of %d kinds%n",
                        size.badPerKind(), BadInput.values().length);
        ChaosProducer producer = run.producer();
        Map<BadInput, Integer> badSent = new EnumMap<>(BadInput.class);
        for (int n = 0; n < size.badPerKind(); n++) {
            for (BadInput kind : BadInput.values()) {
                producer.sendRaw("bad", kind.value(n));
                badSent.merge(kind, 1, Integer::sum);
            }
            String customer = customers.get(n % customers.size());
            producer.send(customer, Map.of("EdgeResponseStatus", ChaosProducer.ABSENT));
            producer.send(customer, Map.of("EdgeResponseStatus", "two hundred"));
        }
        producer.flush();
        return badSent;
    }

    /** Checks each bad config kind with the job's own judge, then publishes them all. */
    private static void sendBadConfigs(ScenarioRun run, Size size, ChaosJobs jobs)
            throws InvalidConfigException {
        run.recorder().mark("bad configs");
        List<BadConfig> kinds = badConfigKinds(jobs);
        run.check(checkReasons(kinds, jobs.snapshot(1)));
        List<String> badConfigs = new ArrayList<>();
        int badVersion = FIRST_BAD_CONFIG_VERSION;
        for (int i = 0; i < size.badConfigsPerKind(); i++) {
            for (BadConfig kind : kinds) {
                badConfigs.add(upsert(badVersion++, kind.job()));
            }
        }
        run.log().printf("Bad configs: %d%n", badConfigs.size());
        run.rig().publishConfigs(badConfigs);
    }

    /** Publishes a flood of valid updates and checks it is published fast and all applied. */
    private static void floodConfigs(ScenarioRun run, Size size, ChaosJobs jobs)
            throws InterruptedException {
        run.recorder().mark("config flood");
        List<String> flood = new ArrayList<>();
        String decoy = jobs.destination(ChaosRig.BUCKET, "decoy");
        for (int i = 0; i < size.configFlood(); i++) {
            String job = ChaosJobs.job(DECOY_JOB, "decoy", decoy, 1_000 + i % 2 * 1_000);
            flood.add(upsert(FIRST_FLOOD_VERSION + i, job));
        }
        long floodStart = System.nanoTime();
        run.rig().publishConfigs(flood);
        double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
        run.log()
                .printf(
                        Locale.ROOT,
                        "Config flood: %d updates in %.2f s%n",
                        size.configFlood(),
                        floodSeconds);
        long lastVersion = FIRST_FLOOD_VERSION + size.configFlood() - 1;
        double version =
                JobChecks.awaitMetric(
                        run.rig(),
                        s -> s.min(PrometheusScrape.SLUICE + "configVersion"),
                        lastVersion,
                        Duration.ofSeconds(90));
        double appliedSeconds = (System.nanoTime() - floodStart) / 1e9;
        long publishRate = Math.round(size.configFlood() / floodSeconds);
        run.check(Check.atLeast("config flood published, updates/s", 1_000, publishRate));
        run.check(
                Check.equal(
                        "config version in force after the flood (each router)",
                        lastVersion,
                        (long) version));
        run.put("configFloodUpdates", size.configFlood());
        run.put("configFloodPublishSeconds", floodSeconds);
        run.put("configFloodAppliedSeconds", appliedSeconds);
    }

    /**
     * Reads the dead-letter topic and checks every bad value is there with its kind's reason, none
     * with another, and oversize ones cut to 1 KiB; returns the letters.
     */
    private static List<DeadLetters.Letter> checkDeadLetters(
            ScenarioRun run, Map<BadInput, Integer> badSent) throws Exception {
        List<DeadLetters.Letter> letters =
                DeadLetters.read(
                        run.rig().kafka().bootstrapServers(),
                        ChaosRig.DLQ_TOPIC,
                        total(badSent),
                        Duration.ofSeconds(60));
        Map<String, Integer> expectedByReason = new LinkedHashMap<>();
        Map<String, String> kindsByReason = new LinkedHashMap<>();
        for (BadInput kind : BadInput.values()) {
            expectedByReason.merge(kind.reason, badSent.getOrDefault(kind, 0), Integer::sum);
            kindsByReason.merge(
                    kind.reason, kind.name().toLowerCase(Locale.ROOT), (a, b) -> a + ", " + b);
        }
        for (Map.Entry<String, Integer> e : expectedByReason.entrySet()) {
            String reason = e.getKey();
            run.check(
                    Check.equal(
                            "dead letters '" + reason + "' (" + kindsByReason.get(reason) + ")",
                            e.getValue(),
                            letters.stream().filter(l -> l.reason().startsWith(reason)).count()));
        }
        long unexplained =
                letters.stream()
                        .filter(
                                l ->
                                        expectedByReason.keySet().stream()
                                                .noneMatch(r -> l.reason().startsWith(r)))
                        .count();
        run.check(Check.equal("dead letters with another reason", 0, unexplained));
        long oversizeCut =
                letters.stream()
                        .filter(l -> l.reason().startsWith(BadInput.OVERSIZE.reason))
                        .filter(l -> l.payload().length <= 1024)
                        .count();
        run.check(
                Check.equal(
                        "oversize dead letters cut to 1 KiB",
                        badSent.getOrDefault(BadInput.OVERSIZE, 0),
                        oversizeCut));
        return letters;
    }

    /** The job counted every dropped record by its reason, and every rejected config. */
    private static void checkCounted(ScenarioRun run, Size size, Map<BadInput, Integer> badSent)
            throws Exception {
        PrometheusScrape scrape = run.rig().scrape();
        long oversize = badSent.getOrDefault(BadInput.OVERSIZE, 0);
        run.check(
                Check.equal(
                        "undecodable records counted (dropped.undecodable)",
                        total(badSent) - oversize,
                        (long) scrape.sluice("dropped_records", "dropped=\"undecodable\"")));
        run.check(
                Check.equal(
                        "oversize records counted (dropped.oversize)",
                        oversize,
                        (long) scrape.sluice("dropped_records", "dropped=\"oversize\"")));
        run.check(
                Check.equal(
                        "bad configs rejected (configUpdatesRejected, each router)",
                        (long) BAD_CONFIG_KINDS * size.badConfigsPerKind(),
                        (long) scrape.min(PrometheusScrape.SLUICE + "configUpdatesRejected")));
    }

    private static long total(Map<BadInput, Integer> badSent) {
        return badSent.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** A kind of config the validator must refuse, and words its reason must contain. */
    private record BadConfig(String kind, String job, String reasonMentions) {}

    /**
     * Upserts the guard lets through but the validator must refuse: an unknown destination scheme,
     * a prefix that climbs out of its customer's folder, a filter over the size limit.
     */
    private static List<BadConfig> badConfigKinds(ChaosJobs jobs) {
        String traversal =
                jobs.destination(ChaosRig.BUCKET, "c0001").replace("/c0001/", "/c0001/../c0002/");
        String condition =
                "{\\\"key\\\": \\\"ClientRequestURI\\\", \\\"operator\\\":"
                        + " \\\"contains\\\", \\\"value\\\": \\\"/wp-admin/\\\"}";
        String hugeFilter =
                "{\\\"where\\\": {\\\"or\\\": ["
                        + String.join(",", Collections.nCopies(60, condition))
                        + "]}}";
        String filtered =
                ChaosJobs.job(903, "c0001", jobs.destination(ChaosRig.BUCKET, "c0001"), 1_000);
        filtered =
                filtered.substring(0, filtered.length() - 1)
                        + ", \"filter\": \""
                        + hugeFilter
                        + "\"}";
        return List.of(
                new BadConfig(
                        "invalid destination",
                        ChaosJobs.job(901, "c0001", "ftp://logs.example.com/c0001", 1_000),
                        "scheme 'ftp'"),
                new BadConfig(
                        "path traversal in prefix",
                        ChaosJobs.job(902, "c0001", traversal, 1_000),
                        "'..'"),
                new BadConfig("huge filter", filtered, "filter"));
    }

    /** Checks that the job's own judge refuses each kind, for the reason it should. */
    private static List<Check> checkReasons(List<BadConfig> kinds, String startConfig)
            throws InvalidConfigException {
        List<Check> checks = new ArrayList<>();
        ConfigSnapshot snapshot = ConfigParser.parse(startConfig);
        VersionedConfig now =
                VersionedConfig.of(
                        new ConfigUpdate.Snapshot(snapshot.version(), snapshot.jobs(), false));
        for (BadConfig kind : kinds) {
            ConfigReview review =
                    ConfigReview.of(now, upsert(FIRST_BAD_CONFIG_VERSION, kind.job()), GUARD);
            boolean clear =
                    review.kind() == ConfigVerdict.Kind.REJECTED
                            && review.reason().contains(kind.reasonMentions());
            checks.add(
                    Check.that(
                            "config with " + kind.kind() + " rejected, reason",
                            "mentions " + kind.reasonMentions(),
                            review.kind() + ": " + review.reason(),
                            clear));
        }
        return checks;
    }

    private static String upsert(int version, String job) {
        return "{\"version\": " + version + ", \"upsert\": " + job + "}";
    }
}
