package dev.sluice.chaos;

import dev.sluice.local.FileTrees;
import dev.sluice.local.RunOptions;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code bin/sluice chaos SCENARIO}: runs one overload or fault scenario against Sluice on this
 * machine (MiniCluster, in-process Kafka, S3 server on 127.0.0.1), judges it independently of the
 * job by reading every delivered object back, prints a verdict table and exits 1 if a check failed.
 * See docs/RELIABILITY.md.
 */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description = {
            "Runs an overload or fault scenario against Sluice on an embedded MiniCluster,",
            "Kafka broker and S3 server, and checks every delivered record against what was",
            "sent. Prints a verdict table; exits 1 if a check failed. See docs/RELIABILITY.md."
        })
public final class ChaosCommand implements Callable<Integer> {

    private static final String MARKER = ".sluice-chaos";

    /** Every scenario by name. */
    public static final Map<String, Scenario> SCENARIOS = scenarios();

    @Parameters(
            index = "0",
            paramLabel = "SCENARIO",
            description = "incident, kills, slow-sink, bad-input, noisy-neighbour or poison.")
    String scenario;

    @Mixin RunOptions options;

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (Scenario s :
                new Scenario[] {
                    new IncidentScenario(),
                    new KillsScenario(),
                    new SlowSinkScenario(),
                    new BadInputScenario(),
                    new NoisyNeighbourScenario(),
                    new PoisonScenario()
                }) {
            all.put(s.name(), s);
        }
        return all;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChaosCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Scenario s = SCENARIOS.get(scenario);
        if (s == null) {
            System.err.printf("unknown scenario '%s'; one of %s%n", scenario, SCENARIOS.keySet());
            return 2;
        }
        Verdict verdict = run(s, options.quick, options.dataDir, System.out);
        if (options.report != null) {
            ChaosReport.write(verdict, options.report);
            System.out.printf("Report written to %s%n", options.report);
        }
        if (options.html != null) {
            ChaosPage.write(verdict, options.html);
            System.out.printf("Page written to %s%n", options.html);
        }
        return verdict.passed() ? 0 : 1;
    }

    /**
     * Runs a scenario and prints its verdict table. With {@code dataDir} null, its data lives in a
     * temporary directory removed afterwards; a given one is cleared first (if it is a previous
     * chaos run's) and kept.
     */
    public static Verdict run(Scenario scenario, boolean quick, Path dataDir, PrintStream out)
            throws Exception {
        Path dir = dataDir != null ? prepare(dataDir) : Files.createTempDirectory("sluice-chaos-");
        out.printf(
                "Chaos scenario %s (%s): %s%n",
                scenario.name(), quick ? "quick" : "full", scenario.description());
        long started = System.currentTimeMillis();
        try {
            Verdict verdict = scenario.run(dir, quick, out);
            ChaosReport.print(verdict, out);
            out.printf("Took %d s%n", (System.currentTimeMillis() - started) / 1000);
            return verdict;
        } finally {
            if (dataDir == null) {
                FileTrees.deleteTree(dir);
            }
        }
    }

    private static Path prepare(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    if (!Files.exists(dir.resolve(MARKER))) {
                        throw new IllegalArgumentException(
                                dir + " is not empty and not a chaos data directory");
                    }
                    FileTrees.deleteTree(dir);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "data of a bin/sluice chaos run\n");
        return dir;
    }
}
