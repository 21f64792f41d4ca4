package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;

import java.util.Arrays;
import java.util.List;

/**
 * An {@code and} or {@code or} node. Both stop at the first child whose answer settles the node:
 * {@code and} at the first that drops the event, {@code or} at the first that keeps it.
 */
final class Junction implements RecordFilter {

    private final String name;

    /** The child answer that settles this node: false for {@code and}, true for {@code or}. */
    private final boolean decisive;

    // An array, not a list: the per-record loop allocates no iterator.
    private final RecordFilter[] children;

    private Junction(String name, boolean decisive, List<RecordFilter> children) {
        this.name = name;
        this.decisive = decisive;
        this.children = children.toArray(new RecordFilter[0]);
    }

    /** Keeps an event every child keeps. */
    static Junction allOf(List<RecordFilter> children) {
        return new Junction("and", false, children);
    }

    /** Keeps an event any child keeps. */
    static Junction anyOf(List<RecordFilter> children) {
        return new Junction("or", true, children);
    }

    @Override
    public boolean test(LogEvent event) {
        for (RecordFilter child : children) {
            if (child.test(event) == decisive) {
                return decisive;
            }
        }
        return !decisive;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(children);
    }
}
