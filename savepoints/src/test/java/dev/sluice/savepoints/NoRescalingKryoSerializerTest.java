package dev.sluice.savepoints;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.InflightDataRescalingDescriptor;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bootstrap writer's settings let Kryo copy and ship the subtask state it hands on, on JDK 17
 * without {@code --add-opens} (as {@code bin/sluice} and the tests run). Without the registration
 * both fail with an {@link IllegalAccessError} on {@code NoRescalingDescriptor}.
 */
class NoRescalingKryoSerializerTest {

    private final TypeSerializer<OperatorSubtaskState> serializer = writerSerializer();

    @Test
    void copiesSubtaskStateKeepingTheNoRescaleSingleton() {
        OperatorSubtaskState copy = serializer.copy(OperatorSubtaskState.builder().build());

        assertThat(copy.getInputRescalingDescriptor())
                .isSameAs(InflightDataRescalingDescriptor.NO_RESCALE);
        assertThat(copy.getOutputRescalingDescriptor())
                .isSameAs(InflightDataRescalingDescriptor.NO_RESCALE);
    }

    @Test
    void serializesSubtaskStateBetweenTasks() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(OperatorSubtaskState.builder().build(), out);

        OperatorSubtaskState read =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(read.getInputRescalingDescriptor())
                .isSameAs(InflightDataRescalingDescriptor.NO_RESCALE);
    }

    private static TypeSerializer<OperatorSubtaskState> writerSerializer() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.configure(
                ConfigSavepointWriter.writerConfiguration(),
                NoRescalingKryoSerializerTest.class.getClassLoader());
        return new GenericTypeInfo<>(OperatorSubtaskState.class).createSerializer(config);
    }
}
