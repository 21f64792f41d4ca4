package dev.sluice.chaos;

import java.util.Locale;

/**
 * A way an S3-compatible store fails a tenant, and a word the reason of each batch parked for it
 * must carry (its metadata {@code sluice-parked-reason}).
 */
enum Breakage {
    DENIED("403", "wrong credentials", "Status Code: 403"),
    MISSING_BUCKET("404", "a bucket never created (NoSuchBucket)", "Status Code: 404"),
    FAILING("500", "500 InternalError to every request", "Status Code: 500"),
    SLOW("slow", "answers after 5 s, over the job's timeouts (300 ms a try)", "timeout"),
    REFUSED("refused", "connection refused (nothing listens on the port)", "Connection refused");

    /** A short name for the verdict table. */
    final String label;

    /** What the tenant's store does. */
    final String what;

    /** A word its batches' parking reason must carry. */
    final String reasonMentions;

    Breakage(String label, String what, String reasonMentions) {
        this.label = label;
        this.what = what;
        this.reasonMentions = reasonMentions;
    }

    /** The tenant broken this way, e.g. {@code denied0001}. */
    String customer() {
        return name().toLowerCase(Locale.ROOT).replace("_", "") + "0001";
    }

    /** The tenant's job id. */
    long jobId() {
        return 201L + ordinal();
    }
}
