package dev.sluice.config.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Walks a filter's tree of {@code and}, {@code or} and leaves, compiling what is valid and
 * collecting every problem with its path, so one validation names them all. One use per filter.
 */
final class NodeCompiler {

    private static final Set<String> AND = Set.of("and");
    private static final Set<String> OR = Set.of("or");
    private static final Set<String> LEAF = Set.of("key", "operator", "value");

    private final List<String> problems;
    private int operators;

    /** A compiler adding the problems it finds to {@code problems}. */
    NodeCompiler(List<String> problems) {
        this.problems = problems;
    }

    /** The node compiled, or null when it has problems (then the filter is never used). */
    RecordFilter compile(JsonNode node, String path) {
        if (!node.isObject()) {
            return problem(path, "must be an object, found " + JsonNodes.describe(node));
        }
        Set<String> keys = JsonNodes.keys(node);
        if (keys.equals(AND)) {
            return group(node.get("and"), path + ".and", Junction::allOf);
        }
        if (keys.equals(OR)) {
            return group(node.get("or"), path + ".or", Junction::anyOf);
        }
        if (keys.equals(LEAF)) {
            return leaf(node, path);
        }
        return problem(
                path,
                "expected {\"and\": [...]}, {\"or\": [...]} or "
                        + "{\"key\": ..., \"operator\": ..., \"value\": ...}, found keys "
                        + keys);
    }

    /** The leaves (operators) seen, valid or not. */
    int operators() {
        return operators;
    }

    private RecordFilter group(
            JsonNode list, String path, Function<List<RecordFilter>, RecordFilter> combine) {
        if (!list.isArray()) {
            return problem(
                    path, "must be an array of conditions, found " + JsonNodes.describe(list));
        }
        if (list.isEmpty()) {
            // An empty and would keep everything, an empty or nothing: neither is meant.
            return problem(path, "must hold at least one condition");
        }
        List<RecordFilter> children = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            children.add(compile(list.get(i), path + "[" + i + "]"));
        }
        if (children.contains(null)) {
            return null;
        }
        return children.size() == 1 ? children.get(0) : combine.apply(children);
    }

    private RecordFilter leaf(JsonNode node, String path) {
        operators++;
        try {
            return ConditionCompiler.compile(node);
        } catch (IllegalArgumentException e) {
            return problem(path, e.getMessage());
        }
    }

    private RecordFilter problem(String path, String message) {
        problems.add(path + ": " + message);
        return null;
    }
}
