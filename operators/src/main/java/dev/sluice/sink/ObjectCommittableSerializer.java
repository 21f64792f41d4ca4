package dev.sluice.sink;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned bytes of {@link ObjectCommittable}. A new field means a new version; readers of every
 * old version stay, because committables of an old savepoint are committed by the new job.
 */
public final class ObjectCommittableSerializer
        implements SimpleVersionedSerializer<ObjectCommittable> {

    static final int VERSION_1 = 1;

    @Override
    public int getVersion() {
        return VERSION_1;
    }

    @Override
    public byte[] serialize(ObjectCommittable c) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF(c.destination());
        out.writeUTF(c.key());
        out.writeUTF(c.uploadId());
        out.writeInt(c.partETags().size());
        for (String etag : c.partETags()) {
            out.writeUTF(etag);
        }
        out.writeLong(c.length());
        out.writeLong(c.records());
        return out.getCopyOfBuffer();
    }

    @Override
    public ObjectCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw new IOException(
                    "Unknown object committable version "
                            + version
                            + " (this build reads 1); was the savepoint taken by a newer Sluice?");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String destination = in.readUTF();
        String key = in.readUTF();
        String uploadId = in.readUTF();
        int parts = in.readInt();
        List<String> etags = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            etags.add(in.readUTF());
        }
        return new ObjectCommittable(
                destination, key, uploadId, etags, in.readLong(), in.readLong());
    }
}
