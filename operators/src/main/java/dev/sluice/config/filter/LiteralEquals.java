package dev.sluice.config.filter;

import java.util.Objects;

/** Compares a field with a boolean or null: eq and !eq; a missing field equals null. */
record LiteralEquals(Boolean literal) implements ValueMatcher {

    @Override
    public boolean matches(Object fieldValue) {
        return Objects.equals(literal, fieldValue);
    }
}
