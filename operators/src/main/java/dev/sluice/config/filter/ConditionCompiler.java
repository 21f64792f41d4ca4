package dev.sluice.config.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Set;

import static dev.sluice.config.filter.JsonNodes.describe;

/**
 * Compiles one leaf, {@code {"key": FIELD, "operator": OP, "value": V}}, after Logpush's type
 * rules; a leaf that breaks them fails with an {@link IllegalArgumentException} saying why.
 */
final class ConditionCompiler {

    private ConditionCompiler() {}

    static FieldCondition compile(JsonNode leaf) {
        String key = key(leaf.get("key"));
        FilterOperator operator = operator(leaf.get("operator"));
        ValueMatcher matcher = matcher(operator, leaf.get("value"));
        return new FieldCondition(key, matcher, operator.negated());
    }

    private static String key(JsonNode key) {
        if (!key.isTextual() || key.textValue().isEmpty()) {
            throw new IllegalArgumentException(
                    "key must be a non-empty string, found " + describe(key));
        }
        return key.textValue();
    }

    private static FilterOperator operator(JsonNode operator) {
        if (!operator.isTextual()) {
            throw new IllegalArgumentException(
                    "operator must be a string, found " + describe(operator));
        }
        return FilterOperator.byWireName(operator.textValue())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown operator '"
                                                + operator.textValue()
                                                + "' (expected one of "
                                                + FilterOperator.WIRE_NAMES
                                                + ")"));
    }

    private static ValueMatcher matcher(FilterOperator operator, JsonNode value) {
        return switch (operator.family()) {
            case EQUALITY -> equality(operator, value);
            case ORDER -> order(operator, value);
            case TEXT -> text(operator, value);
            case MEMBERSHIP -> membership(operator, value);
        };
    }

    private static ValueMatcher equality(FilterOperator operator, JsonNode value) {
        if (value.isTextual()) {
            return new TextMatch(TextMatch.Mode.EQUALS, value.textValue());
        }
        if (value.isNumber()) {
            return new NumberComparison(NumberComparison.Relation.EQUAL, NumberValue.of(value));
        }
        if (value.isBoolean() || value.isNull()) {
            return new LiteralEquals(value.isNull() ? null : value.booleanValue());
        }
        throw needs(operator, "a string, number, boolean or null value", value);
    }

    private static ValueMatcher order(FilterOperator operator, JsonNode value) {
        if (!value.isNumber()) {
            throw needs(operator, "a number value", value);
        }
        NumberComparison.Relation relation =
                switch (operator) {
                    case LT -> NumberComparison.Relation.LESS;
                    case LEQ -> NumberComparison.Relation.LESS_OR_EQUAL;
                    case GT -> NumberComparison.Relation.GREATER;
                    case GEQ -> NumberComparison.Relation.GREATER_OR_EQUAL;
                    default ->
                            throw new IllegalStateException(operator + " is not an order operator");
                };
        return new NumberComparison(relation, NumberValue.of(value));
    }

    private static ValueMatcher text(FilterOperator operator, JsonNode value) {
        if (!value.isTextual()) {
            throw needs(operator, "a string value", value);
        }
        TextMatch.Mode mode =
                switch (operator) {
                    case STARTS_WITH, NOT_STARTS_WITH -> TextMatch.Mode.STARTS_WITH;
                    case ENDS_WITH, NOT_ENDS_WITH -> TextMatch.Mode.ENDS_WITH;
                    case CONTAINS, NOT_CONTAINS -> TextMatch.Mode.CONTAINS;
                    default ->
                            throw new IllegalStateException(operator + " is not a text operator");
                };
        return new TextMatch(mode, value.textValue());
    }

    private static ValueMatcher membership(FilterOperator operator, JsonNode value) {
        // An empty list is refused: "!in []" would keep everything, the fail-open a blank makes.
        if (!value.isArray() || value.isEmpty()) {
            throw needs(operator, "a non-empty array of strings or numbers", value);
        }
        Set<String> strings = new HashSet<>();
        Set<Long> longs = new HashSet<>();
        Set<Double> doubles = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (element.isTextual()) {
                strings.add(element.textValue());
            } else if (element.isNumber()) {
                NumberValue number = NumberValue.of(element);
                if (number.isWhole()) {
                    longs.add(number.asLong());
                }
                doubles.add(number.asDouble());
            } else {
                String where = "value[" + i + "]";
                throw needs(operator, "an array of strings or numbers", element, where);
            }
        }
        return new MemberOf(Set.copyOf(strings), Set.copyOf(longs), Set.copyOf(doubles));
    }

    private static IllegalArgumentException needs(FilterOperator op, String what, JsonNode found) {
        return needs(op, what, found, "value");
    }

    private static IllegalArgumentException needs(
            FilterOperator op, String what, JsonNode found, String where) {
        return new IllegalArgumentException(
                "operator '"
                        + op.wireName()
                        + "' needs "
                        + what
                        + ", found "
                        + where
                        + " "
                        + describe(found));
    }
}
