package dev.sluice.config.filter;

/** Tests one field value of an event (null when the field is missing) against a filter value. */
@FunctionalInterface
interface ValueMatcher {

    boolean matches(Object fieldValue);
}
