package dev.sluice.config.filter;

import java.util.Set;

/**
 * The in operator: a string field in the strings, or a numeric field equal to one of the numbers
 * (200 matches 200L and 200.0, as eq does). Sets built once make each test one hash lookup.
 *
 * @param strings the string values
 * @param longs the whole numbers within long range, for long fields
 * @param doubles every number as a double (-0.0 as 0.0), for double fields
 */
record MemberOf(Set<String> strings, Set<Long> longs, Set<Double> doubles) implements ValueMatcher {

    private static final Double ZERO = 0.0;

    @Override
    public boolean matches(Object fieldValue) {
        if (fieldValue instanceof Long l) {
            // A fractional number never equals a long, so the whole numbers are enough.
            return longs.contains(l);
        }
        if (fieldValue instanceof Double d) {
            // Double.equals tells -0.0 from 0.0; the filter's numbers do not.
            return doubles.contains(d == 0.0 ? ZERO : d);
        }
        String text = TextMatch.asString(fieldValue);
        return text != null && strings.contains(text);
    }
}
