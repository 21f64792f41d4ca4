package dev.sluice.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * A verdict as its JSON report, {@code {"scenario", "passed", "checks": [{"check", "expected",
 * "observed", "passed"}], "series": {...}}}, and as the table the command prints.
 */
public final class ChaosReport {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ChaosReport() {}

    /** The report's JSON tree. */
    public static ObjectNode toJson(Verdict verdict) {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", verdict.scenario());
        root.put("passed", verdict.passed());
        ArrayNode checks = root.putArray("checks");
        for (Check c : verdict.checks()) {
            ObjectNode node = checks.addObject();
            node.put("check", c.check());
            node.put("expected", c.expected());
            node.put("observed", c.observed());
            node.put("passed", c.passed());
        }
        root.set("series", JSON.valueToTree(new TreeMap<>(verdict.series())));
        return root;
    }

    /** Writes the report to {@code file}, creating its directory. */
    public static void write(Verdict verdict, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), toJson(verdict));
    }

    /** Prints the verdict table: one row per check, then PASSED or FAILED. */
    public static void print(Verdict verdict, PrintStream out) {
        int checkWidth = "check".length();
        int expectedWidth = "expected".length();
        for (Check c : verdict.checks()) {
            checkWidth = Math.max(checkWidth, c.check().length());
            expectedWidth = Math.max(expectedWidth, c.expected().length());
        }
        String row = "%-4s  %-" + checkWidth + "s  %-" + expectedWidth + "s  %s%n";
        out.printf("%nScenario %s%n", verdict.scenario());
        out.printf(row, "", "check", "expected", "observed");
        for (Check c : verdict.checks()) {
            out.printf(row, c.passed() ? "ok" : "FAIL", c.check(), c.expected(), c.observed());
        }
        long failed = verdict.checks().stream().filter(c -> !c.passed()).count();
        out.printf(
                "%s: %d of %d checks passed%n",
                verdict.passed() ? "PASSED" : "FAILED",
                verdict.checks().size() - failed,
                verdict.checks().size());
    }
}
