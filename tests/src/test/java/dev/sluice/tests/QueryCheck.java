package dev.sluice.tests;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates a Grafana dashboard's queries and a Prometheus rule file's expressions on a Prometheus
 * server at one moment, and collects what fails: an expression Prometheus refuses; a selector in it
 * that selects no series (a renamed or missing metric); a panel query or recording rule that
 * returns nothing. Alert conditions may return nothing (that is a healthy job); their selectors may
 * not.
 */
final class QueryCheck {

    /** Grafana's {@code label_values(metric, label)} variable query. */
    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

    /** Grafana's built-in intervals, as Grafana would set them for a 1 s scrape interval. */
    private static final Map<String, String> INTERVALS =
            Map.of("$__rate_interval", "10s", "$__interval", "2s", "$__range", "1m");

    private final PrometheusServer prometheus;
    private final Instant at;
    private final List<String> failures;

    QueryCheck(PrometheusServer prometheus, Instant at, List<String> failures) {
        this.prometheus = prometheus;
        this.at = at;
        this.failures = failures;
    }

    /** Every target of every panel (rows' collapsed panels too), and every query variable. */
    QueryCheck dashboard(JsonNode dashboard) throws IOException, InterruptedException {
        Map<String, String> values = new HashMap<>(INTERVALS);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!variable.path("type").asText().equals("query")) {
                continue;
            }
            String name = variable.path("name").asText();
            String query =
                    variable.path("query").path("query").asText(variable.path("query").asText());
            values.put("$" + name, firstLabelValue(name, query));
        }
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        if (panels.isEmpty()) {
            failures.add("the dashboard has no panels");
        }
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = substitute(target.path("expr").asText(), values);
                check("panel '" + panel.path("title").asText() + "'", expr, true);
            }
        }
        return this;
    }

    /** Every rule of every group: recording rules must return series, alerts must parse. */
    QueryCheck rules(JsonNode rules) throws IOException, InterruptedException {
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String expr = rule.path("expr").asText();
                if (rule.has("record")) {
                    String record = rule.path("record").asText();
                    check("recording rule " + record, expr, true);
                    check("series recorded as " + record, record, true);
                } else {
                    check("alert " + rule.path("alert").asText(), expr, false);
                }
            }
        }
        return this;
    }

    private String firstLabelValue(String variable, String query)
            throws IOException, InterruptedException {
        Matcher m = LABEL_VALUES.matcher(query);
        if (!m.matches()) {
            failures.add("variable " + variable + ": not label_values(metric, label): " + query);
            return "";
        }
        String expr = "group by (" + m.group(2) + ") (" + m.group(1) + ")";
        JsonNode result = evaluate("variable " + variable, expr, true);
        return result == null || result.isEmpty()
                ? ""
                : result.get(0).path("metric").path(m.group(2)).asText();
    }

    private static String substitute(String expr, Map<String, String> values) {
        String out = expr;
        for (Map.Entry<String, String> v : values.entrySet()) {
            String name = v.getKey().substring(1);
            out = out.replace("${" + name + "}", v.getValue()).replace(v.getKey(), v.getValue());
        }
        return out;
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            if (panel.path("type").asText().equals("row")) {
                collectPanels(panel.path("panels"), into);
            } else {
                into.add(panel);
            }
        }
    }

    /** Checks an expression and each of its selectors; {@code wantSeries}: the whole too. */
    private void check(String what, String expr, boolean wantSeries)
            throws IOException, InterruptedException {
        if (expr.contains("$")) {
            failures.add(what + ": an unknown variable left in " + expr);
            return;
        }
        evaluate(what, expr, wantSeries);
        Set<String> selectors = MetricSelectors.of(expr);
        if (selectors.isEmpty()) {
            failures.add(what + ": no metric selected in " + expr);
        }
        for (String selector : selectors) {
            evaluate(what + ", selector " + selector, selector, true);
        }
    }

    /** The result, or null after recording why it failed. */
    private JsonNode evaluate(String what, String expr, boolean wantSeries)
            throws IOException, InterruptedException {
        JsonNode answer = prometheus.query(expr, at);
        if (!answer.path("status").asText().equals("success")) {
            failures.add(what + ": Prometheus refused " + expr + ": " + answer.path("error"));
            return null;
        }
        JsonNode result = answer.path("data").path("result");
        if (wantSeries && result.isEmpty()) {
            failures.add(what + ": no series for " + expr);
        }
        return result;
    }
}
