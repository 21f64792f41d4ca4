package dev.sluice.config.filter;

/** Writes filter JSON for tests; single quotes stand for double quotes to keep tests readable. */
final class Filters {

    private Filters() {}

    /** {@code {"where": node}}, the node written with single quotes. */
    static String where(String node) {
        return json("{'where':" + node + "}");
    }

    /** A leaf; {@code valueJson} is the value as JSON: {@code 'ca'}, {@code 500}, {@code null}. */
    static String leaf(String key, String operator, String valueJson) {
        return "{'key':'" + key + "','operator':'" + operator + "','value':" + valueJson + "}";
    }

    static String and(String... nodes) {
        return "{'and':[" + String.join(",", nodes) + "]}";
    }

    static String or(String... nodes) {
        return "{'or':[" + String.join(",", nodes) + "]}";
    }

    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** Compiles a filter that must be valid. */
    static RecordFilter compileWhere(String node) {
        try {
            return FilterCompiler.compile(where(node));
        } catch (InvalidFilterException e) {
            throw new AssertionError("filter should be valid: " + e.getMessage(), e);
        }
    }
}
