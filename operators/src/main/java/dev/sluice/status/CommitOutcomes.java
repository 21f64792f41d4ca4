package dev.sluice.status;

import dev.sluice.sink.ObjectCommittable;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.util.Collector;

/**
 * Each committed object as a {@link StatusEvent}; Flink's per-checkpoint summaries are skipped.
 * Chained to the committer, so an object's bytes (a whole object carries them) never cross the
 * network again: only the small event does.
 */
final class CommitOutcomes
        implements FlatMapFunction<CommittableMessage<ObjectCommittable>, StatusEvent> {

    private static final long serialVersionUID = 1L;

    private final String parkConf;

    /**
     * @param parkConf the park store's destination; empty for none
     */
    CommitOutcomes(String parkConf) {
        this.parkConf = parkConf;
    }

    @Override
    public void flatMap(CommittableMessage<ObjectCommittable> message, Collector<StatusEvent> out) {
        if (message instanceof CommittableWithLineage<ObjectCommittable> committed) {
            out.collect(
                    StatusEvent.of(
                            committed.getCommittable(), parkConf, System.currentTimeMillis()));
        }
    }
}
