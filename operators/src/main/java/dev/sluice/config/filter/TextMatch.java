package dev.sluice.config.filter;

/** Compares a string field with a string: eq and the prefix, suffix and substring operators. */
record TextMatch(Mode mode, String text) implements ValueMatcher {

    /** Which comparison; all are case-sensitive, as in Logpush. */
    enum Mode {
        EQUALS,
        STARTS_WITH,
        ENDS_WITH,
        CONTAINS
    }

    @Override
    public boolean matches(Object fieldValue) {
        String field = asString(fieldValue);
        if (field == null) {
            return false; // a number, boolean or missing field never matches a string
        }
        return switch (mode) {
            case EQUALS -> field.equals(text);
            case STARTS_WITH -> field.startsWith(text);
            case ENDS_WITH -> field.endsWith(text);
            case CONTAINS -> field.contains(text);
        };
    }

    /**
     * The field as a String, or null when it is not text. LogEvent is generated with Java strings,
     * so the conversion (an allocation) only happens for an event built with Avro's Utf8.
     */
    static String asString(Object fieldValue) {
        if (fieldValue instanceof String s) {
            return s;
        }
        return fieldValue instanceof CharSequence cs ? cs.toString() : null;
    }
}
