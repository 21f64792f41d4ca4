package dev.sluice.local;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a local run delivered, per job, reconciled against what was routed to it: {@code recordsIn =
 * delivered + filtered + sampledOut + parked} when the run drained.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LocalSummary(List<Job> jobs, Unconfigured unconfigured, String bucketDir) {

    /** One delivery job's ledger and its objects. */
    public record Job(
            long jobId,
            String customerId,
            long recordsIn,
            long delivered,
            long filtered,
            long sampledOut,
            long parked,
            List<ObjectEntry> objects) {

        public boolean balances() {
            return recordsIn == delivered + filtered + sampledOut + parked;
        }
    }

    /** One delivered object. */
    public record ObjectEntry(String key, long records, long bytes) {}

    /** Records dropped at the router for want of an enabled job. */
    public record Unconfigured(long records, long customers) {}
}
