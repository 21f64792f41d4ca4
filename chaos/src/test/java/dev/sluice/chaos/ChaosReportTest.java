package dev.sluice.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's JSON form and the printed table. */
class ChaosReportTest {

    private static final Verdict VERDICT =
            new Verdict(
                    "incident",
                    List.of(
                            Check.equal("records lost", 0, 0),
                            Check.atMost("latency, s", 40, 41.5)),
                    Map.of("heapMiB", List.of(new double[] {1.0, 200.5})));

    @Test
    void writesTheDocumentedJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reports/incident.json");
        ChaosReport.write(VERDICT, file);

        JsonNode report = new ObjectMapper().readTree(file.toFile());
        assertThat(report.fieldNames())
                .toIterable()
                .containsExactly("scenario", "passed", "checks", "series");
        assertThat(report.get("scenario").asText()).isEqualTo("incident");
        assertThat(report.get("passed").asBoolean()).isFalse();
        assertThat(report.get("checks").get(1).toString())
                .isEqualTo(
                        "{\"check\":\"latency, s\",\"expected\":\"<= 40\",\"observed\":\"41.50\","
                                + "\"passed\":false}");
        assertThat(report.get("series").get("heapMiB").toString()).isEqualTo("[[1.0,200.5]]");
    }

    @Test
    void printsOneRowPerCheckAndTheOutcome() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChaosReport.print(VERDICT, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("ok    records lost").contains("FAIL  latency, s");
        assertThat(table).contains("FAILED: 1 of 2 checks passed");
    }

    @Test
    void aVerdictWithoutChecksDoesNotPass() {
        assertThat(new Verdict("kills", List.of(), Map.of()).passed()).isFalse();
        assertThat(new Verdict("kills", List.of(Check.equal("lost", 0, 0)), Map.of()).passed())
                .isTrue();
    }
}
