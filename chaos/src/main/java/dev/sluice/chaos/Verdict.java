package dev.sluice.chaos;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one chaos scenario: its checks and the series it sampled while it ran.
 *
 * @param scenario the scenario's name, e.g. "incident"
 * @param checks every check, in the order the scenario made them
 * @param series named measurements over the run (time series, recovery times, counts), as they go
 *     into the report's JSON
 */
public record Verdict(String scenario, List<Check> checks, Map<String, Object> series) {

    public Verdict {
        checks = List.copyOf(checks);
        series = Map.copyOf(series);
    }

    /** True when there is at least one check and every check passed. */
    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }
}
