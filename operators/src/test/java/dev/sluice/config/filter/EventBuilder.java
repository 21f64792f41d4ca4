package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;
import dev.sluice.testing.TestConfigs;
import dev.sluice.testing.TestEvents;

import java.util.HashMap;
import java.util.Map;

/** Builds events with exactly the fields a filter test needs (a null value is kept as null). */
final class EventBuilder {

    private final Map<String, Object> fields = new HashMap<>();

    private EventBuilder() {}

    static EventBuilder event() {
        return new EventBuilder();
    }

    /** An event whose only field is {@code key}. */
    static LogEvent withField(String key, Object value) {
        return event().with(key, value).build();
    }

    EventBuilder with(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    LogEvent build() {
        return LogEvent.newBuilder()
                .setCustomerId("acme")
                .setDataset(TestConfigs.DATASET)
                .setTimestampMicros(TestEvents.T0_MICROS)
                .setFields(new HashMap<>(fields))
                .build();
    }
}
