package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;

import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.sluice.config.filter.EventBuilder.event;
import static dev.sluice.config.filter.EventBuilder.withField;
import static dev.sluice.config.filter.Filters.compileWhere;
import static dev.sluice.config.filter.Filters.leaf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Logpush's type rules: numbers against strings, longs against doubles, missing and null. */
class FilterTypeRulesTest {

    private static final String STATUS = "EdgeResponseStatus";

    /** An event without the field the filters below ask for. */
    private static final LogEvent WITHOUT_FIELD = event().with("Other", "x").build();

    /** An event carrying the field, with the value null. */
    private static final LogEvent NULL_FIELD = withField(STATUS, null);

    private static boolean keeps(String operator, String valueJson, Object field) {
        return compileWhere(leaf(STATUS, operator, valueJson)).test(withField(STATUS, field));
    }

    private static boolean keeps(String operator, String valueJson, LogEvent event) {
        return compileWhere(leaf(STATUS, operator, valueJson)).test(event);
    }

    @Test
    void aNumberEqualsALongOrADoubleOfTheSameValueButNeverAString() {
        assertThat(keeps("eq", "200", 200L)).isTrue();
        assertThat(keeps("eq", "200", 200.0)).isTrue();
        assertThat(keeps("eq", "200.0", 200L)).isTrue();
        assertThat(keeps("eq", "200", "200")).isFalse();
        assertThat(keeps("eq", "'200'", 200L)).isFalse();
        assertThat(keeps("eq", "'200'", "200")).isTrue();
        assertThat(keeps("eq", "1", true)).isFalse();
        assertThat(keeps("eq", "true", "true")).isFalse();
        assertThat(keeps("eq", "200.5", 200.5)).isTrue();
        assertThat(keeps("eq", "200.5", 200L)).isFalse();
    }

    @Test
    void comparesLongsExactlyEvenBeyondTheDoublePrecision() {
        // 2^53 + 1 and 2^53 are the same double; as longs they differ.
        assertThat(keeps("eq", "9007199254740993", 9_007_199_254_740_992L)).isFalse();
        assertThat(keeps("geq", "9007199254740993", 9_007_199_254_740_992L)).isFalse();
        assertThat(keeps("in", "[9007199254740993]", 9_007_199_254_740_992L)).isFalse();
        assertThat(keeps("gt", "1e19", Long.MAX_VALUE)).isFalse();
        assertThat(keeps("lt", "-1e19", Long.MIN_VALUE)).isFalse();
    }

    @Test
    void negativeZeroEqualsZero() {
        assertThat(keeps("eq", "0", -0.0)).isTrue();
        assertThat(keeps("in", "[0]", -0.0)).isTrue();
        assertThat(keeps("in", "[-0.0]", 0L)).isTrue();
    }

    @Test
    void orderOperatorsNeverMatchANonNumericField() {
        assertThat(keeps("lt", "500", "100")).isFalse();
        assertThat(keeps("geq", "0", true)).isFalse();
        assertThat(keeps("gt", "0", Double.NaN)).isFalse();
        assertThat(keeps("leq", "0", Double.NaN)).isFalse();
    }

    @Test
    void textOperatorsNeverMatchANonStringField() {
        assertThat(keeps("startsWith", "'5'", 500L)).isFalse();
        assertThat(keeps("contains", "'ru'", true)).isFalse();
        // The negation is of the whole test: a number does not start with "5" as text.
        assertThat(keeps("!startsWith", "'5'", 500L)).isTrue();
    }

    @Test
    void inMatchesByTypeAsEqDoes() {
        assertThat(keeps("in", "['200', 304]", 200L)).isFalse();
        assertThat(keeps("in", "['200', 304]", "200")).isTrue();
        assertThat(keeps("in", "['200', 304]", 304.0)).isTrue();
        assertThat(keeps("in", "[200.5]", 200.5)).isTrue();
        assertThat(keeps("in", "[200.5]", 200L)).isFalse();
        assertThat(keeps("in", "['true']", true)).isFalse();
    }

    @Test
    void aMissingFieldIsNull() {
        for (LogEvent event : new LogEvent[] {WITHOUT_FIELD, NULL_FIELD}) {
            assertThat(keeps("eq", "null", event)).isTrue();
            assertThat(keeps("!eq", "null", event)).isFalse();
            assertThat(keeps("eq", "'x'", event)).isFalse();
            assertThat(keeps("!eq", "'x'", event)).isTrue();
            assertThat(keeps("eq", "0", event)).isFalse();
            assertThat(keeps("!eq", "false", event)).isTrue();
            assertThat(keeps("lt", "500", event)).isFalse();
            assertThat(keeps("geq", "500", event)).isFalse();
            assertThat(keeps("contains", "'x'", event)).isFalse();
            assertThat(keeps("!contains", "'x'", event)).isTrue();
            assertThat(keeps("startsWith", "''", event)).isFalse();
            assertThat(keeps("!endsWith", "'x'", event)).isTrue();
            assertThat(keeps("in", "['x', 1]", event)).isFalse();
            assertThat(keeps("!in", "['x', 1]", event)).isTrue();
        }
    }

    @Test
    void eqNullDropsAPresentField() {
        assertThat(keeps("eq", "null", 200L)).isFalse();
        assertThat(keeps("eq", "null", "")).isFalse();
        assertThat(keeps("!eq", "null", false)).isTrue();
    }

    @Test
    void keysAddressTheEventsFieldsNotTheEnvelope() {
        LogEvent event = withField("timestamp", "from the fields");

        assertThat(compileWhere(leaf("timestamp", "gt", "0")).test(event)).isFalse();
        assertThat(compileWhere(leaf("timestamp", "eq", "'from the fields'")).test(event)).isTrue();
        assertThat(compileWhere(leaf("customer_id", "eq", "'acme'")).test(event)).isFalse();
    }

    @Test
    void avroUtf8TextIsComparedAsText() {
        LogEvent event = withField(STATUS, new Utf8("ok"));

        assertThat(compileWhere(leaf(STATUS, "eq", "'ok'")).test(event)).isTrue();
        assertThat(compileWhere(leaf(STATUS, "in", "['ok']")).test(event)).isTrue();
        assertThat(compileWhere(leaf(STATUS, "startsWith", "'o'")).test(event)).isTrue();
    }

    static Stream<Arguments> emptyString() {
        return Stream.of(
                arguments("eq", "''", "", true),
                arguments("startsWith", "''", "anything", true),
                arguments("contains", "''", "", true),
                arguments("!contains", "''", "anything", false));
    }

    @ParameterizedTest(name = "{1} {0} \"{2}\" -> {3}")
    @MethodSource("emptyString")
    void anEmptyStringValueMatchesEveryString(
            String operator, String valueJson, Object field, boolean kept) {
        assertThat(keeps(operator, valueJson, field)).isEqualTo(kept);
    }
}
