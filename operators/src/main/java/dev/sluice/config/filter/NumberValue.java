package dev.sluice.config.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A filter's number, compared with an event's {@code long} or {@code double} field: a whole number
 * compares exactly with a long field (no rounding through double), otherwise as doubles. So the
 * value 200 equals a field of 200L and of 200.0.
 */
final class NumberValue {

    /** What {@link #compareField} returns when the field is not a number, or is NaN. */
    static final int UNORDERED = Integer.MIN_VALUE;

    // Bounds of the doubles that are exactly representable as a long.
    private static final double LONG_MIN = -0x1p63;
    private static final double LONG_MAX_EXCLUSIVE = 0x1p63;

    /** True when the value is a whole number within long range; then {@link #asLong} is exact. */
    private final boolean whole;

    private final long asLong;
    private final double asDouble;

    private NumberValue(boolean whole, long asLong, double asDouble) {
        this.whole = whole;
        this.asLong = asLong;
        this.asDouble = asDouble;
    }

    static NumberValue of(JsonNode number) {
        if (number.isIntegralNumber() && number.canConvertToLong()) {
            return whole(number.longValue());
        }
        double d = number.doubleValue();
        if (d == Math.rint(d) && d >= LONG_MIN && d < LONG_MAX_EXCLUSIVE) {
            return whole((long) d); // 200.0 is the whole number 200; -0.0 becomes 0
        }
        return new NumberValue(false, 0L, d);
    }

    private static NumberValue whole(long value) {
        return new NumberValue(true, value, value);
    }

    boolean isWhole() {
        return whole;
    }

    long asLong() {
        return asLong;
    }

    double asDouble() {
        return asDouble;
    }

    /** The sign of (field − this value), or {@link #UNORDERED} for a non-number or NaN field. */
    int compareField(Object field) {
        if (field instanceof Long l) {
            // A fractional value is never near a long beyond 2^53, so the double compare is exact.
            return whole ? Long.compare(l, asLong) : compareDoubles(l, asDouble);
        }
        if (field instanceof Double d) {
            return compareDoubles(d, asDouble);
        }
        return UNORDERED;
    }

    // Not Double.compare: that orders -0.0 before 0.0 and NaN above everything.
    private static int compareDoubles(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        return a == b ? 0 : UNORDERED;
    }

    @Override
    public String toString() {
        return whole ? Long.toString(asLong) : Double.toString(asDouble);
    }
}
