package dev.sluice.sink;

/**
 * A job's ledger as of one batch's close, from the buffer's keyed state (exact across failures:
 * restored, never recomputed). For every job, at every batch: {@code recordsIn + recordsFiltered +
 * recordsSampledOut} records of it were seen, of which {@code recordsBatched} are in this or
 * earlier batches and the rest are filtered, sampled out, or still buffered. A Flink POJO.
 */
public class BatchLedger {

    /** Records routed to the job's buffer. */
    public long recordsIn;

    /** Records the job's filter dropped. */
    public long recordsFiltered;

    /** Records the job's sample rate left out. */
    public long recordsSampledOut;

    /** Records in this batch and every earlier one of the job. */
    public long recordsBatched;

    public BatchLedger() {}

    public BatchLedger(
            long recordsIn, long recordsFiltered, long recordsSampledOut, long recordsBatched) {
        this.recordsIn = recordsIn;
        this.recordsFiltered = recordsFiltered;
        this.recordsSampledOut = recordsSampledOut;
        this.recordsBatched = recordsBatched;
    }
}
