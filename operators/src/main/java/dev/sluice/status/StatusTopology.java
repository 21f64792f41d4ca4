package dev.sluice.status;

import dev.sluice.sink.BatchOpened;
import dev.sluice.sink.CommittedObjects;
import dev.sluice.sink.ObjectCommittable;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The jobs' status after the object sink's commits: committed objects → {@link StatusEvent}, with
 * the batches the buffer opened ({@link #followOpened}) → keyed by job → {@link JobStatusOperator}
 * (changes only, rate-limited per job) → {@code to} (the compacted status topic in the job).
 */
public final class StatusTopology implements CommittedObjects {

    private static final long serialVersionUID = 1L;

    /** Stable operator ids (with {@link JobStatusOperator#UID}); never change one. */
    public static final String EVENTS_UID = "job-status-events";

    public static final String SINK_UID = "job-status-sink";

    public static final String OPENED_UID = "job-status-opened";

    private final String parkConf;
    private final long minIntervalMillis;
    private final Sink<JobStatus> to;

    /** The buffer's opened batches, while the pipeline is defined; null for none. */
    private transient DataStream<BatchOpened> opened;

    /**
     * @param parkConf the sink's park store ({@code SinkSettings.parkDestination()}); empty for
     *     none
     * @param minIntervalMillis the least time between two statuses of one job
     * @param to where each emitted status goes
     */
    public StatusTopology(String parkConf, long minIntervalMillis, Sink<JobStatus> to) {
        this.parkConf = parkConf;
        this.minIntervalMillis = minIntervalMillis;
        this.to = to;
    }

    @Override
    public void followOpened(DataStream<BatchOpened> opened) {
        this.opened = opened;
    }

    @Override
    public void attach(DataStream<CommittableMessage<ObjectCommittable>> committed) {
        DataStream<StatusEvent> events =
                committed
                        .flatMap(
                                new CommitOutcomes(parkConf), TypeInformation.of(StatusEvent.class))
                        .uid(EVENTS_UID)
                        .name("Commit outcomes");
        if (opened != null) {
            // Chained to the buffer: one small event per batch crosses to the status.
            events =
                    events.union(
                            opened.map(StatusEvent::opened, TypeInformation.of(StatusEvent.class))
                                    .uid(OPENED_UID)
                                    .name("Batches opened"));
        }
        events.keyBy(StatusEvent::jobId, Types.LONG)
                .transform(
                        "Job status",
                        TypeInformation.of(JobStatus.class),
                        new JobStatusOperator(minIntervalMillis))
                .uid(JobStatusOperator.UID)
                .name("Job status")
                .sinkTo(to)
                .uid(SINK_UID)
                .name("Job status topic");
    }
}
