package dev.sluice.sink;

import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.Serializable;

/**
 * What follows the commit of the sink's objects ({@link ObjectSink#addPostCommitTopology}): the
 * committables Flink hands on once committed, each as it was committed (a parked batch says so),
 * for a topology that learns from them, such as the jobs' status.
 */
@FunctionalInterface
public interface CommittedObjects extends Serializable {

    /** Adds the topology that reads {@code committed} to its environment. */
    void attach(DataStream<CommittableMessage<ObjectCommittable>> committed);

    /**
     * The batches the buffer opens, for a topology that also follows what is still buffered; given
     * before {@link #attach}, when the pipeline is defined. Ignored unless overridden.
     */
    default void followOpened(DataStream<BatchOpened> opened) {}
}
