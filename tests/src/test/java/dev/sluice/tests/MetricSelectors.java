package dev.sluice.tests;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series selectors of a PromQL expression ({@code name} or {@code name{label="v"}}), without
 * their ranges and offsets. An alert condition such as {@code increase(x[15m]) > 0} rightly returns
 * nothing on a healthy job; its selectors must still select series, or the metric was renamed and
 * the alert can never fire.
 */
final class MetricSelectors {

    /** Label lists of aggregations and vector matching: label names, not metrics. */
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    /** Ranges ({@code [5m]}, subqueries) and offsets, which do not select anything. */
    private static final Pattern RANGES_AND_OFFSETS =
            Pattern.compile("\\[[^\\]]*\\]|\\boffset\\s+-?\\w+");

    /** A name, then optionally its label matchers; a name followed by "(" is a function. */
    private static final Pattern SELECTOR =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?(\\s*\\()?");

    private static final Set<String> KEYWORDS =
            Set.of(
                    "and",
                    "or",
                    "unless",
                    "bool",
                    "offset",
                    "group_left",
                    "group_right",
                    "inf",
                    "nan");

    private MetricSelectors() {}

    /** The selectors of {@code expr} in order of appearance, each once. */
    static Set<String> of(String expr) {
        String stripped =
                RANGES_AND_OFFSETS
                        .matcher(LABEL_LISTS.matcher(expr).replaceAll(" "))
                        .replaceAll(" ");
        Set<String> selectors = new LinkedHashSet<>();
        Matcher m = SELECTOR.matcher(stripped);
        while (m.find()) {
            boolean function = m.group(3) != null && m.group(2) == null;
            if (function || KEYWORDS.contains(m.group(1).toLowerCase())) {
                continue;
            }
            if (m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1))) {
                continue; // the exponent or unit of a number, e.g. 1e3
            }
            selectors.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        }
        return selectors;
    }
}
