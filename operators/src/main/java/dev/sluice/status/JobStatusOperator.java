package dev.sluice.status;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps each delivery job's {@link JobStatus} in keyed state, keyed by job id, and emits it when it
 * changed, at most once per job per {@code minIntervalMillis}: a quiet job costs nothing, and a
 * flapping one cannot flood the status topic. A change inside a job's interval is held and goes out
 * when the interval ends (one processing-time timer per job, only while something is held).
 *
 * <p>Keyed state, so the status survives restarts and rescaling: each job's status moves with its
 * key group, and what was last published stays in the compacted topic. Per subtask, the count of
 * jobs in each state is a gauge ({@code sluice.status.<state>.jobs}), rebuilt from state when the
 * task opens, so an alert sums the failing jobs without a series per job.
 */
public final class JobStatusOperator extends AbstractStreamOperator<JobStatus>
        implements OneInputStreamOperator<StatusEvent, JobStatus>,
                Triggerable<Long, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    /** Stable operator id: savepoints map the job statuses by it; never change it. */
    public static final String UID = "job-status";

    /** The job's status as it is now. */
    public static final ValueStateDescriptor<JobStatus> STATUS =
            new ValueStateDescriptor<>("status", TypeInformation.of(JobStatus.class));

    /** When the job's status was last emitted (epoch millis); absent for never. */
    public static final ValueStateDescriptor<Long> PUBLISHED_AT =
            new ValueStateDescriptor<>("published-at", Types.LONG);

    /** When the held change goes out; absent while nothing is held. */
    public static final ValueStateDescriptor<Long> HELD_UNTIL =
            new ValueStateDescriptor<>("held-until", Types.LONG);

    static final String TIMERS = "status-timers";

    private final long minIntervalMillis;

    private transient ValueState<JobStatus> status;
    private transient ValueState<Long> publishedAt;
    private transient ValueState<Long> heldUntil;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Map<JobState, Long> jobsByState;

    /**
     * @param minIntervalMillis the least time between two statuses of one job
     */
    public JobStatusOperator(long minIntervalMillis) {
        this.minIntervalMillis = minIntervalMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        status = getPartitionedState(STATUS);
        publishedAt = getPartitionedState(PUBLISHED_AT);
        heldUntil = getPartitionedState(HELD_UNTIL);
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        jobsByState = new EnumMap<>(JobState.class);
        countRestored();
        MetricGroup sluice = getMetricGroup().addGroup("sluice");
        for (JobState s : JobState.values()) {
            sluice.addGroup("status", s.label()).gauge("jobs", () -> jobs(s));
        }
    }

    /**
     * The gauges start from the statuses this subtask restored (once per start, not per record).
     */
    private void countRestored() throws Exception {
        for (JobState s : JobState.values()) {
            jobsByState.put(s, 0L);
        }
        KeyedStateBackend<Long> backend = getKeyedStateBackend();
        List<Long> jobs;
        try (Stream<Long> keys = backend.getKeys(STATUS.getName(), VoidNamespace.INSTANCE)) {
            jobs = keys.collect(Collectors.toList());
        }
        for (long job : jobs) {
            setCurrentKey(job);
            JobStatus s = status.value();
            if (s != null) {
                jobsByState.merge(s.state(), 1L, Long::sum);
            }
        }
    }

    /** Jobs of this subtask in {@code state}, as the gauge reads it. */
    long jobs(JobState state) {
        return jobsByState.get(state);
    }

    @Override
    public void processElement(StreamRecord<StatusEvent> element) throws Exception {
        StatusEvent event = element.getValue();
        JobStatus before = status.value();
        JobStatus now = (before == null ? JobStatus.initial(event.jobId()) : before).with(event);
        status.update(now);
        count(before, now);
        if (heldUntil.value() != null) {
            return; // a change is held already; its timer emits the newest status
        }
        long time = timers.currentProcessingTime();
        Long last = publishedAt.value();
        if (last == null || time - last >= minIntervalMillis) {
            emit(now, time);
        } else {
            long at = last + minIntervalMillis;
            heldUntil.update(at);
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, at);
        }
    }

    private void count(JobStatus before, JobStatus now) {
        if (before != null && before.state() == now.state()) {
            return;
        }
        if (before != null) {
            jobsByState.merge(before.state(), -1L, Long::sum);
        }
        jobsByState.merge(now.state(), 1L, Long::sum);
    }

    private void emit(JobStatus s, long time) throws IOException {
        publishedAt.update(time);
        output.collect(new StreamRecord<>(s));
    }

    @Override
    public void onProcessingTime(InternalTimer<Long, VoidNamespace> timer) throws Exception {
        heldUntil.clear();
        JobStatus s = status.value();
        if (s != null) {
            emit(s, timer.getTimestamp());
        }
    }

    @Override
    public void onEventTime(InternalTimer<Long, VoidNamespace> timer) {
        // No event-time timers are registered.
    }
}
