package dev.sluice.config;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the values of {@link ConfigHolder#CONFIG_STATE}: an ASCII string (every stored config
 * since {@link ConfigStateCodec} compresses it) as its length and its bytes, in one write.
 *
 * <p>Flink's {@link StringSerializer} writes a string a character at a time, each a call through
 * the checkpoint's stream wrappers. Every subtask of the router and the buffer writes its copy of
 * the config into every checkpoint, and at a million jobs that copy is 4 MB: the checkpoint's
 * asynchronous part spent over a second of CPU per subtask on it. Any other string (the plain JSON
 * of versions before the codec, still restored) is written as {@link StringValue} writes it, so
 * every string round-trips, lone surrogates included.
 *
 * <p>Savepoints written with {@link StringSerializer} restore: broadcast state is read whole with
 * the serializer it was written with, and written with this one from the next checkpoint on ({@link
 * Snapshot#resolveSchemaCompatibility}).
 */
public final class StoredConfigSerializer extends TypeSerializerSingleton<String> {

    private static final long serialVersionUID = 1L;

    public static final StoredConfigSerializer INSTANCE = new StoredConfigSerializer();

    private static final int NULL = -1;

    /** Marks a string with a character beyond ASCII: {@link StringValue}'s form follows. */
    private static final int NOT_ASCII = -2;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public String createInstance() {
        return "";
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public String copy(String from, String reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeInt(NULL);
        } else if (isAscii(value)) {
            out.writeInt(value.length());
            out.write(value.getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeInt(NOT_ASCII);
            StringValue.writeString(value, out);
        }
    }

    @Override
    public String deserialize(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length == NULL) {
            return null;
        }
        if (length == NOT_ASCII) {
            return StringValue.readString(in);
        }
        if (length < 0) {
            throw new IOException("not a stored config string: length " + length);
        }
        byte[] ascii = new byte[length];
        in.readFully(ascii);
        return new String(ascii, StandardCharsets.US_ASCII);
    }

    @Override
    public String deserialize(String reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot();
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Names the serializer; a state written by {@link StringSerializer} is compatible after
     * migration (read with the old serializer, written with this one).
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(
                TypeSerializerSnapshot<String> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof StringSerializer.StringSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSerializerSnapshot);
        }
    }
}
