package dev.sluice.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules in {@code deploy/prometheus/} are checked here because nothing else loads them
 * before someone is paged: a rule Prometheus refuses, an alert that no longer fires on the incident
 * it was written for, or a metric renamed in the code would otherwise be found during the next
 * incident. Prometheus' own {@code promtool} (Debian's {@code prometheus} package; {@code .ci/run}
 * installs it) checks the rules and runs their unit tests, {@code sluice-alerts.test.yml}: the
 * incident replayed as synthetic series, each alert firing, and a healthy steady state firing
 * nothing.
 */
class AlertRulesTest {

    /** Maven runs the tests in this module's directory, one below the repository root. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static final String RULES = "deploy/prometheus/sluice-alerts.yml";
    private static final String RULE_TESTS = "deploy/prometheus/sluice-alerts.test.yml";

    private static final String SLUICE_PREFIX = "flink_taskmanager_job_task_operator_sluice_";

    /**
     * Flink's own metrics the rules use, as Flink 2.2's Prometheus reporter names them on the
     * endpoint of {@code bin/sluice local}. A typo in the rules fails here; a rename in a Flink
     * upgrade has to be looked for on a real scrape.
     */
    private static final Set<String> FLINK_METRICS =
            Set.of(
                    "flink_jobmanager_job_numRestarts",
                    "flink_jobmanager_job_numberOfFailedCheckpoints",
                    "flink_jobmanager_job_numberOfCompletedCheckpoints",
                    "flink_taskmanager_job_task_backPressuredTimeMsPerSecond");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assertPromtoolSucceeds("check", "rules", RULES);
    }

    @Test
    void alertsFireOnTheIncidentAndNotInTheSteadyState() throws Exception {
        assertPromtoolSucceeds("test", "rules", RULE_TESTS);
    }

    /**
     * Sluice's metrics in the rules are the documented ones (docs/ARCHITECTURE.md, "Metrics"),
     * named as the reporter names them, so renaming a metric in the code and its table breaks the
     * build instead of silencing an alert; Flink's are the ones its reporter exports.
     */
    @Test
    void rulesUseOnlyExportedMetrics() throws IOException {
        Set<String> documented = documentedSluiceMetrics();
        assertThat(documented)
                .as("names read from docs/ARCHITECTURE.md's metrics table")
                .contains("recordsRouted", "dropped_records", "flush_batches", "activeJobs");

        Set<String> used = new TreeSet<>();
        // Comments may speak of the name pattern; rules and annotations name real metrics.
        String rules = read(RULES).replaceAll("(?m)^\\s*#.*$", "");
        Matcher m = Pattern.compile("\\bflink_\\w+").matcher(rules);
        while (m.find()) {
            used.add(m.group());
        }
        assertThat(used).as("metrics used in " + RULES).isNotEmpty();
        for (String metric : used) {
            if (metric.startsWith(SLUICE_PREFIX)) {
                assertThat(documented)
                        .as("%s in %s: a Sluice metric in docs/ARCHITECTURE.md", metric, RULES)
                        .contains(metric.substring(SLUICE_PREFIX.length()));
            } else {
                assertThat(FLINK_METRICS)
                        .as("%s in %s: a metric Flink exports", metric, RULES)
                        .contains(metric);
            }
        }
    }

    /** An alert without a scenario in the unit tests could be one that never fires. */
    @Test
    void everyAlertHasAFiringTest() throws IOException {
        String tests = read(RULE_TESTS);
        List<String> alerts = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*- alert: (\\w+)").matcher(read(RULES));
        while (m.find()) {
            alerts.add(m.group(1));
        }
        assertThat(alerts).isNotEmpty();
        for (String alert : alerts) {
            assertThat(tests)
                    .as("%s expected to fire in %s", alert, RULE_TESTS)
                    .containsPattern("alertname: " + alert + "\\s+exp_alerts:\\s+- exp_labels:");
        }
    }

    /**
     * The metric names of the table in docs/ARCHITECTURE.md's "Metrics" section, as the Prometheus
     * reporter writes them after the prefix: dots become underscores, and in a three-part name the
     * middle part is a key-value group's value, which becomes a label ({@code
     * dropped.unconfigured.records} is {@code dropped_records{dropped="unconfigured"}}).
     */
    private static Set<String> documentedSluiceMetrics() throws IOException {
        String doc = read("docs/ARCHITECTURE.md");
        String section = doc.substring(doc.indexOf("\n## Metrics"));
        int next = section.indexOf("\n## ", 1);
        if (next > 0) {
            section = section.substring(0, next);
        }
        Set<String> names = new TreeSet<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = code.matcher(line.split("\\|")[1]);
            while (m.find()) {
                String name = m.group(1);
                if (name.contains("{")) {
                    continue; // the per-job rank families: not used by the rules
                }
                String[] parts = name.split("\\.");
                names.add(String.join("_", parts));
                if (parts.length == 3) {
                    names.add(parts[0] + "_" + parts[2]);
                }
            }
        }
        return names;
    }

    private static void assertPromtoolSucceeds(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(RequiredTool.onPath("promtool", "prometheus").toString());
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command)
                        .directory(ROOT.toFile())
                        .redirectErrorStream(true)
                        .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        assertThat(process.exitValue())
                .as("exit code of %s, whose output was:%n%s", String.join(" ", command), output)
                .isZero();
    }

    private static String read(String relative) throws IOException {
        return Files.readString(ROOT.resolve(relative));
    }
}
