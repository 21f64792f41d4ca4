package dev.sluice.status;

import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.ObjectCommittable;

/**
 * One committed batch as the job's status sees it: delivered or parked, when, and how much. Made
 * after the commit from the batch's committable, one per object, never one per record.
 *
 * @param at when it was committed (epoch millis)
 * @param parkedReason why it was parked; empty when it was delivered
 * @param lastEventMicros the event time of its newest record; 0 when unknown
 */
public record StatusEvent(
        long jobId, long at, long records, long bytes, String parkedReason, long lastEventMicros) {

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
        return new StatusEvent(m.jobId(), at, c.records(), c.length(), reason, m.lastMicros());
    }

    public boolean parked() {
        return !parkedReason.isEmpty();
    }
}
