package dev.sluice.config.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compiles a Logpush job's {@code filter} into a {@link RecordFilter}: once per job and config
 * version, never per record.
 *
 * <p>The filter is a JSON string {@code {"where": NODE}}, NODE being {@code {"and": [NODE...]}},
 * {@code {"or": [NODE...]}} or a leaf {@code {"key": FIELD, "operator": OP, "value": V}}. An empty
 * or absent filter keeps every event. Keys address the event's own fields ({@code
 * LogEvent.getFields()}) only: {@code timestamp}, customer and dataset are not filterable. A
 * missing field is null. Type rules:
 *
 * <ul>
 *   <li>{@code eq}, {@code !eq}: a string, number, boolean or null, compared by type: 200 equals
 *       200L and 200.0, never "200".
 *   <li>{@code lt}, {@code leq}, {@code gt}, {@code geq}: a number; a non-numeric field is false.
 *   <li>{@code startsWith}, {@code endsWith}, {@code contains} and their {@code !} forms: a string,
 *       compared case-sensitively with string fields only.
 *   <li>{@code in}, {@code !in}: a non-empty array of strings and numbers, each compared as eq.
 * </ul>
 *
 * <p>A {@code !} operator is the negation of its positive, so a missing field satisfies it.
 * Logpush's limits apply: at most {@value #MAX_BYTES} bytes of UTF-8 and {@value #MAX_OPERATORS}
 * operators (leaves), which also bound the depth. An invalid filter fails with every problem, each
 * naming its path, e.g. {@code filter.where.and[1].or[0]: operator 'geq' needs a number value,
 * found value string "500"}.
 */
public final class FilterCompiler {

    public static final int MAX_BYTES = 1000;
    public static final int MAX_OPERATORS = 30;

    private static final String PATH = "filter";
    private static final String WHERE = "where";

    private static final ObjectMapper MAPPER =
            JsonMapper.builder(
                            JsonFactory.builder()
                                    // A nesting level takes two bytes or more, so no filter
                                    // within the size limit reaches this. It bounds the depth of
                                    // an oversized one, still parsed to report all its problems.
                                    .streamReadConstraints(
                                            StreamReadConstraints.builder()
                                                    .maxNestingDepth(MAX_BYTES / 2)
                                                    .build())
                                    .build())
                    // A repeated key would silently replace a condition: refuse it.
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private FilterCompiler() {}

    /** Compiles a filter, or throws with every problem found. Null or blank keeps everything. */
    public static RecordFilter compile(String filterJson) throws InvalidFilterException {
        if (filterJson == null || filterJson.isBlank()) {
            return RecordFilter.ACCEPT_ALL;
        }
        List<String> problems = new ArrayList<>();
        int bytes = filterJson.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            problems.add(PATH + ": " + bytes + " bytes is more than the limit of " + MAX_BYTES);
        }
        RecordFilter filter = compileTree(filterJson, problems);
        if (!problems.isEmpty()) {
            throw new InvalidFilterException(problems);
        }
        return filter;
    }

    private static RecordFilter compileTree(String filterJson, List<String> problems) {
        JsonNode root;
        try {
            root = MAPPER.readTree(filterJson);
        } catch (JsonProcessingException e) {
            problems.add(PATH + ": not valid JSON: " + firstLine(e.getOriginalMessage()));
            return null;
        }
        if (!root.isObject() || !JsonNodes.keys(root).equals(Set.of(WHERE))) {
            String found =
                    root.isObject() ? "keys " + JsonNodes.keys(root) : JsonNodes.describe(root);
            problems.add(PATH + ": must be a JSON object {\"where\": ...}, found " + found);
            return null;
        }
        NodeCompiler compiler = new NodeCompiler(problems);
        RecordFilter filter = compiler.compile(root.get(WHERE), PATH + "." + WHERE);
        if (compiler.operators() > MAX_OPERATORS) {
            problems.add(
                    PATH
                            + ": "
                            + compiler.operators()
                            + " operators is more than the limit of "
                            + MAX_OPERATORS);
        }
        return filter;
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
