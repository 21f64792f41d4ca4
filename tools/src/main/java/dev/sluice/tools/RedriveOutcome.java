package dev.sluice.tools;

/** What became of one parked batch in a redrive. */
enum RedriveOutcome {
    MOVED("moved"),
    COMPLETED("completed"),
    WOULD_MOVE("would move"),
    WOULD_COMPLETE("would complete"),
    GONE("gone"),
    FAILED("FAILED");

    final String label;

    RedriveOutcome(String label) {
        this.label = label;
    }

    boolean counts() {
        return this != GONE && this != FAILED;
    }
}
