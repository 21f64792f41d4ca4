package dev.sluice.tools;

import dev.sluice.config.DeliveryJob;
import dev.sluice.status.JobStatus;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One line of {@code jobs status}: what the status topic says of a job (null before its first
 * batch) beside what the config in force says of it (null once it is removed).
 */
record JobStatusRow(long id, DeliveryJob job, JobStatus status) {

    /** Before the job's first batch: nothing delivered or parked yet. */
    static final String PENDING = "pending";

    static final String DISABLED = "disabled";

    /** Gone from the config in force; its last status stays on the topic. */
    static final String REMOVED = "removed";

    /** disabled, removed, pending, or the status topic's state (healthy, failing). */
    String state() {
        if (job != null && !job.enabled()) {
            return DISABLED;
        }
        if (job == null) {
            return REMOVED;
        }
        // A status of batches opened only: nothing delivered or parked yet.
        return status == null || (status.lastComplete() == 0 && status.lastError() == 0)
                ? PENDING
                : status.state().label();
    }

    String customerId() {
        return job == null ? null : job.customerId();
    }

    /** The status topic's fields, with {@code customer_id} and the state as shown. */
    ObjectNode toJson() {
        ObjectNode o = (status == null ? JobStatus.initial(id) : status).toJson();
        o.put("customer_id", customerId());
        o.put("state", state());
        return o;
    }
}
