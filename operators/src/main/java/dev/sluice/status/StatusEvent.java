package dev.sluice.status;

import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.BatchOpened;
import dev.sluice.sink.ObjectCommittable;

/**
 * One batch as the job's status sees it: opened in the buffer, or committed (delivered or parked),
 * when, and how much. Made once per batch, never once per record: when the buffer opens it ({@link
 * #opened}), and after the commit from its committable ({@link #of}).
 *
 * @param at when it was committed, or opened (epoch millis)
 * @param parkedReason why it was parked; empty when it was delivered
 * @param lastEventMicros the event time of its newest record; 0 when unknown
 * @param seq the batch's sequence number; -1 when unknown
 * @param opening whether the batch opened (nothing delivered yet) rather than committed
 */
public record StatusEvent(
        long jobId,
        long at,
        long records,
        long bytes,
        String parkedReason,
        long lastEventMicros,
        long seq,
        boolean opening) {

    /** A committed batch whose sequence number is not known. */
    public StatusEvent(
            long jobId,
            long at,
            long records,
            long bytes,
            String parkedReason,
            long lastEventMicros) {
        this(jobId, at, records, bytes, parkedReason, lastEventMicros, -1, false);
    }

    /** A committable of an older build parked without a reason: where it went says it. */
    static final String PARKED_UNKNOWN = "parked (no reason recorded)";

    /**
     * The event of {@code c} committed at {@code at}; {@code parkConf} is the park store's
     * destination, which also tells batches parked by a build that did not record why.
     */
    public static StatusEvent of(ObjectCommittable c, String parkConf, long at) {
        BatchManifest m = c.manifest();
        String reason = c.parkedReason();
        if (reason.isEmpty() && !parkConf.isEmpty() && parkConf.equals(c.destination())) {
            reason = PARKED_UNKNOWN;
        }
        return new StatusEvent(
                m.jobId(), at, c.records(), c.length(), reason, m.lastMicros(), m.seq(), false);
    }

    /** The event of a batch the buffer opened. */
    public static StatusEvent opened(BatchOpened b) {
        return new StatusEvent(b.jobId(), b.openedAtMillis(), 0, 0, "", 0, b.seq(), true);
    }

    public boolean parked() {
        return !parkedReason.isEmpty();
    }
}
