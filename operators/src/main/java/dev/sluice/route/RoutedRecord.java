package dev.sluice.route;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What crosses the shuffle to a job's buffer: one event already encoded for the job, or, with no
 * line, a ledger report of the job's records the router filtered or sampled out since its last
 * report. Serialized by {@link RoutedRecordSerializer}, never by Kryo or reflection.
 */
@TypeInfo(RoutedRecordTypeInfo.Factory.class)
public class RoutedRecord {

    /** The delivery job; the buffer's key. */
    public long jobId;

    /** Event time, microseconds since the epoch. */
    public long timestampMicros;

    /**
     * The encoded record, its record prefix and suffix included (for ndjson, one line); null in a
     * ledger report.
     */
    public byte[] line;

    /** Ledger report: records of the job its filter dropped. */
    public long filtered;

    /** Ledger report: records of the job its sample rate left out. */
    public long sampledOut;

    public RoutedRecord() {}

    public RoutedRecord(long jobId, long timestampMicros, byte[] line) {
        this.jobId = jobId;
        this.timestampMicros = timestampMicros;
        this.line = line;
    }

    /** A ledger report of records the router did not pass on for {@code jobId}. */
    public static RoutedRecord ledgerReport(long jobId, long filtered, long sampledOut) {
        RoutedRecord report = new RoutedRecord(jobId, 0L, null);
        report.filtered = filtered;
        report.sampledOut = sampledOut;
        return report;
    }

    public boolean isLedgerReport() {
        return line == null;
    }

    public long getJobId() {
        return jobId;
    }
}
