package dev.sluice.config;

/**
 * What became of an offered config update, with a reason fit for a log line.
 *
 * @param diff what changes (accepted updates, and updates the guard refused)
 * @param previous the config in force before (accepted updates only): where the buffered records of
 *     a job that is now disabled or removed still go
 */
public record ConfigVerdict(Kind kind, String reason, ConfigDiff diff, ActiveConfig previous) {

    /** The three outcomes; only {@code ACCEPTED} changes anything. */
    public enum Kind {
        ACCEPTED,
        STALE,
        REJECTED
    }
}
