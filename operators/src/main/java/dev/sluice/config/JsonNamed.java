package dev.sluice.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A config value spelled by name, as the Logpush API spells it; lookups shared by the enums. */
interface JsonNamed {

    String jsonName();

    /** The value with exactly this (case-sensitive) name; empty for null or an unknown name. */
    static <T extends JsonNamed> Optional<T> find(T[] values, String name) {
        return Arrays.stream(values).filter(v -> v.jsonName().equals(name)).findFirst();
    }

    /** The accepted names, for messages, e.g. {@code ndjson, csv}. */
    static String names(JsonNamed[] values) {
        return Arrays.stream(values).map(JsonNamed::jsonName).collect(Collectors.joining(", "));
    }
}
