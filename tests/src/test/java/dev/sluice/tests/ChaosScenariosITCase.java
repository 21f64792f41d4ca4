package dev.sluice.tests;

import dev.sluice.chaos.ChaosCommand;
import dev.sluice.chaos.ChaosPage;
import dev.sluice.chaos.ChaosReport;
import dev.sluice.chaos.Check;
import dev.sluice.chaos.Verdict;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick variant of every chaos scenario ({@code bin/sluice chaos SCENARIO --quick}), in
 * process: each must pass every check, and its report must have the documented form.
 */
class ChaosScenariosITCase {

    static Stream<String> scenarios() {
        return ChaosCommand.SCENARIOS.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void quickVariantPasses(String name) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Verdict verdict;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            verdict = ChaosCommand.run(ChaosCommand.SCENARIOS.get(name), true, null, out);
        }
        String table = printed.toString(StandardCharsets.UTF_8);
        System.out.print(table);

        JsonNode report = ChaosReport.toJson(verdict);
        assertThat(report.path("scenario").asText()).isEqualTo(name);
        assertThat(report.path("passed").isBoolean()).isTrue();
        assertThat(report.path("checks").isArray()).isTrue();
        assertThat(report.path("checks")).isNotEmpty();
        for (JsonNode check : report.path("checks")) {
            assertThat(check.fieldNames())
                    .toIterable()
                    .containsExactly("check", "expected", "observed", "passed");
        }
        assertThat(report.path("series").isObject()).isTrue();
        // The series the --html page charts, as the recorder names them.
        assertThat(verdict.series())
                .containsKeys("heapAfterGcMiB", "activeJobs", "recordsRouted", "recordsStaged")
                .containsKeys("objectsCommitted", "restarts", "events");
        Path page = Path.of("target/report-pages/chaos-" + name + ".html");
        ChaosPage.write(verdict, page);
        assertThat(Files.readString(page))
                .contains("data-chart=\"heap\"", "data-chart=\"restarts\"");
        assertThat(verdict.checks())
                .as("failed checks of %s:%n%s", name, table)
                .filteredOn(c -> !c.passed())
                .extracting(Check::check)
                .isEmpty();
        assertThat(report.path("passed").asBoolean()).isTrue();
        assertThat(table).contains("PASSED");
    }
}
