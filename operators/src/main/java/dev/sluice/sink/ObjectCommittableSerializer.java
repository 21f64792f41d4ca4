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
 *
 * <p>Version 2 adds the batch manifest after the version 1 fields.
 */
public final class ObjectCommittableSerializer
        implements SimpleVersionedSerializer<ObjectCommittable> {

    static final int VERSION_1 = 1;
    static final int VERSION_2 = 2;

    @Override
    public int getVersion() {
        return VERSION_2;
    }

    @Override
    public byte[] serialize(ObjectCommittable c) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512);
        out.writeUTF(c.destination());
        out.writeUTF(c.key());
        out.writeUTF(c.uploadId());
        out.writeInt(c.partETags().size());
        for (String etag : c.partETags()) {
            out.writeUTF(etag);
        }
        out.writeLong(c.length());
        out.writeLong(c.records());
        BatchManifest m = c.manifest();
        out.writeLong(m.jobId());
        out.writeLong(m.seq());
        out.writeLong(m.uncompressedBytes());
        out.writeLong(m.firstMicros());
        out.writeLong(m.lastMicros());
        out.writeUTF(m.compression());
        out.writeUTF(m.sha256());
        out.writeUTF(m.flushReason());
        out.writeLong(m.recordsIn());
        out.writeLong(m.recordsFiltered());
        out.writeLong(m.recordsSampledOut());
        out.writeLong(m.recordsBatched());
        return out.getCopyOfBuffer();
    }

    @Override
    public ObjectCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1 && version != VERSION_2) {
            throw new IOException(
                    "Unknown object committable version "
                            + version
                            + " (this build reads 1 and 2); was the savepoint taken by a newer"
                            + " Sluice?");
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
        long length = in.readLong();
        long records = in.readLong();
        BatchManifest manifest =
                version == VERSION_1
                        ? BatchManifest.unknown(key, length, records)
                        : readManifest(in, key, length, records);
        return new ObjectCommittable(destination, key, uploadId, etags, length, records, manifest);
    }

    private static BatchManifest readManifest(
            DataInputDeserializer in, String key, long length, long records) throws IOException {
        return new BatchManifest(
                in.readLong(),
                in.readLong(),
                key,
                records,
                in.readLong(),
                length,
                in.readLong(),
                in.readLong(),
                in.readUTF(),
                in.readUTF(),
                in.readUTF(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong());
    }
}
