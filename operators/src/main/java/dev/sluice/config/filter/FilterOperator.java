package dev.sluice.config.filter;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Logpush's comparison operators, by wire name; a {@code !} operator negates its positive. */
enum FilterOperator {
    EQ("eq", Family.EQUALITY),
    NOT_EQ("!eq", Family.EQUALITY),
    LT("lt", Family.ORDER),
    LEQ("leq", Family.ORDER),
    GT("gt", Family.ORDER),
    GEQ("geq", Family.ORDER),
    STARTS_WITH("startsWith", Family.TEXT),
    NOT_STARTS_WITH("!startsWith", Family.TEXT),
    ENDS_WITH("endsWith", Family.TEXT),
    NOT_ENDS_WITH("!endsWith", Family.TEXT),
    CONTAINS("contains", Family.TEXT),
    NOT_CONTAINS("!contains", Family.TEXT),
    IN("in", Family.MEMBERSHIP),
    NOT_IN("!in", Family.MEMBERSHIP);

    /** Operators that take the same kind of value. */
    enum Family {
        EQUALITY,
        ORDER,
        TEXT,
        MEMBERSHIP
    }

    static final String WIRE_NAMES =
            Arrays.stream(values()).map(op -> op.wireName).collect(Collectors.joining(", "));

    private final String wireName;
    private final Family family;

    FilterOperator(String wireName, Family family) {
        this.wireName = wireName;
        this.family = family;
    }

    /** The operator with this exact (case-sensitive) name, as Logpush spells it. */
    static Optional<FilterOperator> byWireName(String name) {
        return Arrays.stream(values()).filter(op -> op.wireName.equals(name)).findFirst();
    }

    String wireName() {
        return wireName;
    }

    Family family() {
        return family;
    }

    /**
     * Whether this operator is the negation of another. The negation is taken of the whole positive
     * test, so a missing field satisfies every {@code !} operator.
     */
    boolean negated() {
        return wireName.startsWith("!");
    }
}
