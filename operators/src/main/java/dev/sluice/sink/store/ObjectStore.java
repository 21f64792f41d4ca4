package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;

import java.io.IOException;

/**
 * A place objects go, with the two phases the sink needs: stage bytes invisibly, then make them
 * visible. Implementations must make {@link #commit} idempotent.
 */
public interface ObjectStore extends AutoCloseable {

    /** Uploads {@code body} under {@code key} without making it visible. */
    ObjectCommittable stage(
            String destinationConf, Destination destination, String key, byte[] body, long records)
            throws IOException;

    /**
     * Makes a staged object visible and verifies its length. Returns {@link
     * CommitOutcome#ALREADY_COMMITTED} when an earlier attempt did it; throws {@link
     * IntegrityException} when what is there is not what was staged.
     */
    CommitOutcome commit(Destination destination, ObjectCommittable committable) throws IOException;

    /**
     * Aborts staged uploads a failed attempt left for {@code jobId} with a batch sequence of at
     * least {@code fromSeq}; no committable of a completed checkpoint can have such a sequence.
     *
     * @return how many were aborted
     */
    int abortStale(Destination destination, long jobId, long fromSeq) throws IOException;

    @Override
    void close();
}
