package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;

import java.util.Arrays;
import java.util.List;

/** An {@code or} node: keeps an event any child keeps, stopping at the first that does. */
final class AnyOf implements RecordFilter {

    // An array, not a list: the per-record loop allocates no iterator.
    private final RecordFilter[] children;

    AnyOf(List<RecordFilter> children) {
        this.children = children.toArray(new RecordFilter[0]);
    }

    @Override
    public boolean test(LogEvent event) {
        for (RecordFilter child : children) {
            if (child.test(event)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "or" + Arrays.toString(children);
    }
}
