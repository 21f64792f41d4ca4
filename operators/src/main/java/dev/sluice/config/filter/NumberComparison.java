package dev.sluice.config.filter;

/** Compares a numeric field with a number: eq and the order operators. Non-numbers never match. */
record NumberComparison(Relation relation, NumberValue value) implements ValueMatcher {

    /** How the field must relate to the value. */
    enum Relation {
        EQUAL,
        LESS,
        LESS_OR_EQUAL,
        GREATER,
        GREATER_OR_EQUAL;

        boolean holds(int sign) {
            return switch (this) {
                case EQUAL -> sign == 0;
                case LESS -> sign == -1;
                case LESS_OR_EQUAL -> sign == -1 || sign == 0;
                case GREATER -> sign == 1;
                case GREATER_OR_EQUAL -> sign == 1 || sign == 0;
            };
        }
    }

    @Override
    public boolean matches(Object fieldValue) {
        int sign = value.compareField(fieldValue);
        return sign != NumberValue.UNORDERED && relation.holds(sign);
    }
}
