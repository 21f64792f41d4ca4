package dev.sluice.config.filter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.sluice.config.filter.EventBuilder.withField;
import static dev.sluice.config.filter.Filters.compileWhere;
import static dev.sluice.config.filter.Filters.leaf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every operator, with an event it keeps and one it drops. */
class FilterOperatorsTest {

    private static final String FIELD = "F";

    static Stream<Arguments> operators() {
        return Stream.of(
                arguments("eq", "'ca'", "ca", true),
                arguments("eq", "'ca'", "us", false),
                arguments("eq", "'ca'", "CA", false), // case-sensitive
                arguments("eq", "200", 200L, true),
                arguments("eq", "200", 404L, false),
                arguments("eq", "true", true, true),
                arguments("eq", "true", false, false),
                arguments("!eq", "'ca'", "ca", false),
                arguments("!eq", "'ca'", "us", true),
                arguments("!eq", "200", 200L, false),
                arguments("!eq", "200", 404L, true),
                arguments("!eq", "false", false, false),
                arguments("!eq", "false", true, true),
                arguments("lt", "500", 404L, true),
                arguments("lt", "500", 500L, false),
                arguments("leq", "500", 500L, true),
                arguments("leq", "500", 503L, false),
                arguments("gt", "500", 503L, true),
                arguments("gt", "500", 500L, false),
                arguments("geq", "500", 500L, true),
                arguments("geq", "500", 499L, false),
                arguments("gt", "0.5", 0.75, true),
                arguments("gt", "0.5", 0.25, false),
                arguments("startsWith", "'/api'", "/api/users", true),
                arguments("startsWith", "'/api'", "/static/api", false),
                arguments("!startsWith", "'/api'", "/api/users", false),
                arguments("!startsWith", "'/api'", "/static/api", true),
                arguments("endsWith", "'.js'", "/app.js", true),
                arguments("endsWith", "'.js'", "/app.css", false),
                arguments("!endsWith", "'.js'", "/app.js", false),
                arguments("!endsWith", "'.js'", "/app.css", true),
                arguments("contains", "'bot'", "Googlebot/2.1", true),
                arguments("contains", "'bot'", "Mozilla/5.0", false),
                arguments("!contains", "'bot'", "Googlebot/2.1", false),
                arguments("!contains", "'bot'", "Mozilla/5.0", true),
                arguments("in", "['us','ca']", "ca", true),
                arguments("in", "['us','ca']", "fr", false),
                arguments("in", "[200,304]", 304L, true),
                arguments("in", "[200,304]", 500L, false),
                arguments("!in", "['us','ca']", "ca", false),
                arguments("!in", "['us','ca']", "fr", true),
                arguments("!in", "[200,304]", 304L, false),
                arguments("!in", "[200,304]", 500L, true));
    }

    @ParameterizedTest(name = "{1} {0} {2} -> {3}")
    @MethodSource("operators")
    void keepsExactlyTheMatchingEvents(
            String operator, String valueJson, Object field, boolean kept) {
        RecordFilter filter = compileWhere(leaf(FIELD, operator, valueJson));

        assertThat(filter.test(withField(FIELD, field))).isEqualTo(kept);
    }
}
