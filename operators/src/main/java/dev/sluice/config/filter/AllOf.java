package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;

import java.util.Arrays;
import java.util.List;

/** An {@code and} node: keeps an event every child keeps, stopping at the first that does not. */
final class AllOf implements RecordFilter {

    // An array, not a list: the per-record loop allocates no iterator.
    private final RecordFilter[] children;

    AllOf(List<RecordFilter> children) {
        this.children = children.toArray(new RecordFilter[0]);
    }

    @Override
    public boolean test(LogEvent event) {
        for (RecordFilter child : children) {
            if (!child.test(event)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "and" + Arrays.toString(children);
    }
}
