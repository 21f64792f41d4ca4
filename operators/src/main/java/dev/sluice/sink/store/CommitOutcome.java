package dev.sluice.sink.store;

/** The two ways a commit succeeds. */
public enum CommitOutcome {
    COMMITTED,
    /** A previous attempt completed it; the object there is the one staged. */
    ALREADY_COMMITTED
}
