package dev.sluice.savepoints;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.flink.runtime.checkpoint.InflightDataRescalingDescriptor;

/**
 * Kryo serializer for Flink's {@code InflightDataRescalingDescriptor.NO_RESCALE}, so that the State
 * Processor API's writer works on JDK 17 without {@code --add-opens}.
 *
 * <p>The writer passes each written subtask's {@code OperatorSubtaskState} between its operators as
 * a Kryo generic type. Every such state holds {@code NO_RESCALE}, an instance of the
 * package-private class {@code InflightDataRescalingDescriptor$NoRescalingDescriptor}. Kryo creates
 * instances through a ReflectASM accessor generated into the same package; unless {@code java.lang}
 * is opened to it, ReflectASM has to define that accessor in a class loader of its own, where the
 * class is not accessible, and the first copy or read fails with an {@link IllegalAccessError}. The
 * descriptor is a stateless singleton (its Java deserialization resolves to {@code NO_RESCALE}
 * too), so this serializer writes nothing and reads the singleton back.
 */
public final class NoRescalingKryoSerializer extends Serializer<InflightDataRescalingDescriptor> {

    /**
     * The registration for {@code pipeline.serialization-config}, by the class's binary name: the
     * class itself is not visible outside its package.
     */
    static final String REGISTRATION =
            InflightDataRescalingDescriptor.NO_RESCALE.getClass().getName()
                    + ": {type: kryo, kryo-type: default, class: "
                    + NoRescalingKryoSerializer.class.getName()
                    + "}";

    /** No nulls; immutable, so Kryo's copy returns the original. */
    public NoRescalingKryoSerializer() {
        super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, InflightDataRescalingDescriptor descriptor) {
        // Nothing to write: there is one such descriptor.
    }

    @Override
    public InflightDataRescalingDescriptor read(
            Kryo kryo, Input input, Class<? extends InflightDataRescalingDescriptor> type) {
        return InflightDataRescalingDescriptor.NO_RESCALE;
    }
}
