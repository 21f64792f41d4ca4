package dev.sluice.config.filter;

import java.util.List;

/** A Logpush filter that cannot be compiled, with every problem found, each naming its path. */
public final class InvalidFilterException extends Exception {

    private final List<String> problems;

    InvalidFilterException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code path: what is wrong}, e.g. {@code filter.where.or[0]: ...}. */
    public List<String> problems() {
        return problems;
    }
}
