package dev.sluice.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard's shape, without a server: a current schema, a Prometheus data source
 * variable every query uses, and panels that tell an operator what a bad value means and where the
 * runbook is; every alert has a panel that shows what it fires on. {@code DashboardQueriesITCase}
 * runs its queries against a real Prometheus scraping a running job.
 */
class DashboardTest {

    static final String DASHBOARD = "deploy/grafana/sluice.json";

    /** Grafana 10.4 and later write this schema; older ones migrate it on import. */
    private static final int SCHEMA_VERSION = 39;

    private static final String DATASOURCE = "${datasource}";

    @Test
    void hasACurrentSchemaAndAPrometheusDataSourceVariable() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(SCHEMA_VERSION);
        assertThat(dashboard.path("uid").asText()).isEqualTo("sluice");
        List<String> datasources = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("datasource")) {
                assertThat(variable.path("query").asText()).isEqualTo("prometheus");
                datasources.add(variable.path("name").asText());
            }
        }
        assertThat(datasources).containsExactly("datasource");
    }

    @Test
    void everyPanelQueriesTheVariableDataSourceAndExplainsABadValueWithARunbook()
            throws IOException {
        Set<String> anchors = runbookAnchors();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels()) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", title).isTrue();
            assertThat(panel.path("datasource").path("uid").asText())
                    .as(title)
                    .isEqualTo(DATASOURCE);
            assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText())
                        .as(title)
                        .isEqualTo(DATASOURCE);
                assertThat(target.path("expr").asText()).as(title).contains("$job_name");
            }
            String description = panel.path("description").asText();
            assertThat(description).as("description of %s", title).contains("Bad: ", "Runbook: ");
            assertThat(panel.path("links")).as("runbook link of %s", title).isNotEmpty();
            for (JsonNode link : panel.path("links")) {
                String url = link.path("url").asText();
                assertThat(url).as(title).startsWith("${runbooks}#");
                assertThat(anchors)
                        .as("a section of docs/OPERATIONS.md for %s", title)
                        .contains(url.substring(url.indexOf('#') + 1));
                assertThat(description).as(title).contains(url.substring(url.indexOf('#')));
            }
        }
    }

    /** An alert no panel names would page someone with nothing to look at. */
    @Test
    void everyAlertIsNamedByAPanelThatShowsItsSignal() throws IOException {
        StringBuilder descriptions = new StringBuilder();
        for (JsonNode panel : panels()) {
            descriptions.append(panel.path("description").asText()).append('\n');
        }
        Matcher m =
                Pattern.compile("(?m)^\\s*- alert: (\\w+)")
                        .matcher(
                                Files.readString(
                                        RepositoryPaths.root().resolve(AlertRulesTest.RULES)));
        int alerts = 0;
        while (m.find()) {
            alerts++;
            assertThat(descriptions.toString())
                    .as("a panel naming %s", m.group(1))
                    .contains(m.group(1));
        }
        assertThat(alerts).isPositive();
    }

    /** The headings of docs/OPERATIONS.md as GitHub anchors them. */
    private static Set<String> runbookAnchors() throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line :
                Files.readAllLines(RepositoryPaths.root().resolve("docs/OPERATIONS.md"))) {
            if (line.startsWith("#")) {
                anchors.add(
                        line.replaceFirst("^#+\\s*", "")
                                .toLowerCase(Locale.ROOT)
                                .replaceAll("[^a-z0-9 -]", "")
                                .replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static List<JsonNode> panels() throws IOException {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        assertThat(panels).isNotEmpty();
        return panels;
    }

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(RepositoryPaths.root().resolve(DASHBOARD).toFile());
    }
}
