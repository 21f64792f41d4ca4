package dev.sluice.config;

/** What became of an offered config update, with a reason fit for a log line. */
public record ConfigVerdict(Kind kind, String reason) {

    /** The three outcomes; only {@code ACCEPTED} changes anything. */
    public enum Kind {
        ACCEPTED,
        STALE,
        REJECTED
    }

    static ConfigVerdict accepted(long version) {
        return new ConfigVerdict(Kind.ACCEPTED, "version " + version + " in force");
    }

    static ConfigVerdict stale(long offered, long current) {
        return new ConfigVerdict(
                Kind.STALE, "version " + offered + " is not newer than version " + current);
    }

    static ConfigVerdict rejected(String reason) {
        return new ConfigVerdict(Kind.REJECTED, reason);
    }
}
