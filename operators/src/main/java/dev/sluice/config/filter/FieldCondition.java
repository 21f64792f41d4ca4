package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;

import java.util.Map;

/**
 * A leaf of the filter: one of the event's fields, tested by a matcher and negated for the {@code
 * !} operators. Keys address the event's own fields only, never the envelope.
 */
record FieldCondition(String key, ValueMatcher matcher, boolean negated) implements RecordFilter {

    @Override
    public boolean test(LogEvent event) {
        Map<String, Object> fields = event.getFields();
        // A missing field is a null value: "eq null" keeps it, every "!" operator keeps it.
        Object value = fields == null ? null : fields.get(key);
        return matcher.matches(value) != negated;
    }
}
