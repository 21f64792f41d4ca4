package dev.sluice.config.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.sluice.config.filter.Filters.and;
import static dev.sluice.config.filter.Filters.json;
import static dev.sluice.config.filter.Filters.leaf;
import static dev.sluice.config.filter.Filters.or;
import static dev.sluice.config.filter.Filters.where;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every way a filter is refused, each problem naming where it is. */
class FilterValidationTest {

    private static final String STATUS_IS_500 = leaf("EdgeResponseStatus", "eq", "500");

    private static List<String> problems(String filterJson) {
        try {
            FilterCompiler.compile(filterJson);
        } catch (InvalidFilterException e) {
            return e.problems();
        }
        throw new AssertionError("filter should be refused: " + filterJson);
    }

    private static String problem(String filterJson) {
        List<String> problems = problems(filterJson);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void refusesMoreThan1000Bytes() {
        String ascii = where(leaf("ClientRequestURI", "eq", "'" + "a".repeat(938) + "'"));

        assertThat(ascii).hasSize(1001);
        assertThat(problem(ascii)).isEqualTo("filter: 1001 bytes is more than the limit of 1000");
    }

    @Test
    void countsBytesOfUtf8NotCharacters() {
        // 600 characters of two bytes each: 1,269 bytes in 669 characters.
        String accented = where(leaf("ClientRequestURI", "contains", "'" + "é".repeat(600) + "'"));

        assertThat(accented.length()).isLessThan(FilterCompiler.MAX_BYTES);
        assertThat(problem(accented))
                .isEqualTo("filter: 1269 bytes is more than the limit of 1000");
    }

    @Test
    void refusesMoreThan30Operators() {
        String[] leaves = new String[31];
        Arrays.fill(leaves, leaf("a", "eq", "1"));

        // Each leaf takes at least 37 bytes, so 31 of them are always over the size limit too.
        assertThat(problems(where(or(leaves))))
                .containsExactly(
                        "filter: 1196 bytes is more than the limit of 1000",
                        "filter: 31 operators is more than the limit of 30");
    }

    @Test
    void boundsTheDepthOfAnOversizedFilter() {
        String deep = "{'and':[".repeat(300) + STATUS_IS_500 + "]}".repeat(300);

        List<String> problems = problems(where(deep));

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).matches("filter: \\d+ bytes is more than the limit of 1000");
        assertThat(problems.get(1))
                .startsWith("filter: not valid JSON: Document nesting depth (501) exceeds");
    }

    @Test
    void namesThePathOfAWrongValueType() {
        String filter =
                where(
                        and(
                                leaf("ClientCountry", "!eq", "'ca'"),
                                or(leaf("EdgeResponseStatus", "geq", "'500'"), STATUS_IS_500)));

        assertThat(problem(filter))
                .isEqualTo(
                        "filter.where.and[1].or[0]: operator 'geq' needs a number value, "
                                + "found value string \"500\"");
    }

    @Test
    void reportsEveryProblemInTheTree() {
        String filter =
                where(or(leaf("a", "like", "'x'"), STATUS_IS_500, leaf("b", "in", "'x'"), and()));

        assertThat(problems(filter))
                .containsExactly(
                        "filter.where.or[0]: unknown operator 'like' (expected one of eq, !eq, "
                                + "lt, leq, gt, geq, startsWith, !startsWith, endsWith, "
                                + "!endsWith, contains, !contains, in, !in)",
                        "filter.where.or[2]: operator 'in' needs a non-empty array of strings or "
                                + "numbers, found value string \"x\"",
                        "filter.where.or[3].and: must hold at least one condition");
    }

    static Stream<Arguments> wrongValueTypes() {
        return Stream.of(
                arguments("eq", "['ca']", "a string, number, boolean or null value"),
                arguments("!eq", "{'a':1}", "a string, number, boolean or null value"),
                arguments("lt", "'30'", "a number value"),
                arguments("leq", "null", "a number value"),
                arguments("gt", "true", "a number value"),
                arguments("geq", "[500]", "a number value"),
                arguments("startsWith", "5", "a string value"),
                arguments("!startsWith", "null", "a string value"),
                arguments("endsWith", "['.js']", "a string value"),
                arguments("!endsWith", "false", "a string value"),
                arguments("contains", "1.5", "a string value"),
                arguments("!contains", "{}", "a string value"),
                arguments("in", "'us'", "a non-empty array of strings or numbers"),
                arguments("!in", "[]", "a non-empty array of strings or numbers"),
                arguments("in", "['us', true]", "an array of strings or numbers, found value[1]"),
                arguments("!in", "[null]", "an array of strings or numbers, found value[0]"),
                arguments("in", "[['us']]", "an array of strings or numbers, found value[0]"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongValueTypes")
    void refusesAValueOfTheWrongType(String operator, String valueJson, String needs) {
        assertThat(problem(where(leaf("F", operator, valueJson))))
                .startsWith("filter.where: operator '" + operator + "' needs " + needs);
    }

    @Test
    void refusesUnknownOperatorsIncludingOtherCases() {
        assertThat(problem(where(leaf("F", "EQ", "1"))))
                .startsWith("filter.where: unknown operator 'EQ' (expected one of eq, !eq,");
        assertThat(problem(where(leaf("F", "neq", "1")))).contains("unknown operator 'neq'");
        assertThat(problem(where("{'key':'F','operator':1,'value':1}")))
                .isEqualTo("filter.where: operator must be a string, found number 1");
    }

    @Test
    void refusesAMissingOrNonTextKey() {
        assertThat(problem(where(leaf("", "eq", "1"))))
                .isEqualTo("filter.where: key must be a non-empty string, found string \"\"");
        assertThat(problem(where("{'key':7,'operator':'eq','value':1}")))
                .isEqualTo("filter.where: key must be a non-empty string, found number 7");
    }

    @Test
    void refusesUnknownNodeShapes() {
        String expected =
                "expected {\"and\": [...]}, {\"or\": [...]} or "
                        + "{\"key\": ..., \"operator\": ..., \"value\": ...}, found keys ";

        assertThat(problem(where("{'not':" + STATUS_IS_500 + "}")))
                .isEqualTo("filter.where: " + expected + "[not]");
        assertThat(problem(where("{'key':'F','operator':'eq'}")))
                .isEqualTo("filter.where: " + expected + "[key, operator]");
        assertThat(problem(where(and("{'and':[" + STATUS_IS_500 + "],'or':[]}"))))
                .isEqualTo("filter.where.and[0]: " + expected + "[and, or]");
        assertThat(problem(where("{}"))).isEqualTo("filter.where: " + expected + "[]");
        assertThat(problem(where(or("'x'", STATUS_IS_500))))
                .isEqualTo("filter.where.or[0]: must be an object, found string \"x\"");
        assertThat(problem(where("{'and':" + STATUS_IS_500 + "}")))
                .startsWith("filter.where.and: must be an array of conditions, found object");
    }

    @Test
    void refusesEmptyAndOrLists() {
        assertThat(problem(where(and())))
                .isEqualTo("filter.where.and: must hold at least one condition");
        assertThat(problem(where(and(STATUS_IS_500, or()))))
                .isEqualTo("filter.where.and[1].or: must hold at least one condition");
    }

    @Test
    void refusesMalformedJson() {
        assertThat(problem(json("{'where':")))
                .startsWith("filter: not valid JSON: Unexpected end-of-input");
        assertThat(problem(where(STATUS_IS_500) + " {}"))
                .startsWith("filter: not valid JSON: Trailing token");
        assertThat(problem(json("{'where':{'key':'a','key':'b','operator':'eq','value':1}}")))
                .startsWith("filter: not valid JSON: Duplicate field 'key'");
        assertThat(problem("where status = 500")).startsWith("filter: not valid JSON:");
    }

    @Test
    void refusesAnythingButAWhereObjectAtTheRoot() {
        String expected = "filter: must be a JSON object {\"where\": ...}, found ";

        assertThat(problem("[]")).isEqualTo(expected + "array []");
        assertThat(problem("null")).isEqualTo(expected + "null");
        assertThat(problem("{}")).isEqualTo(expected + "keys []");
        assertThat(problem(json("{'where':" + STATUS_IS_500 + ",'limit':1}")))
                .isEqualTo(expected + "keys [limit, where]");
        assertThat(problem(json("{'where':null}")))
                .isEqualTo("filter.where: must be an object, found null");
    }
}
