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
 * <p>Version 2 adds the batch manifest after the version 1 fields. Version 3 adds the whole
 * object's bytes after those, for a committable that carries them (a length of -1 for none).
 * Version 4 adds the reason a parked batch was parked (empty for a batch bound for its own
 * destination) after those.
 */
public final class ObjectCommittableSerializer
        implements SimpleVersionedSerializer<ObjectCommittable> {

    static final int VERSION_1 = 1;
    static final int VERSION_2 = 2;
    static final int VERSION_3 = 3;
    static final int VERSION_4 = 4;

    @Override
    public int getVersion() {
        return VERSION_4;
    }

    @Override
    public byte[] serialize(ObjectCommittable c) throws IOException {
        DataOutputSerializer out =
                new DataOutputSerializer(512 + (c.isWhole() ? c.body().length : 0));
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
        if (c.isWhole()) {
            out.writeInt(c.body().length);
            out.write(c.body());
        } else {
            out.writeInt(-1);
        }
        out.writeUTF(c.parkedReason());
        return out.getCopyOfBuffer();
    }

    @Override
    public ObjectCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version < VERSION_1 || version > VERSION_4) {
            throw new IOException(
                    "Unknown object committable version "
                            + version
                            + " (this build reads 1 to 4); was the savepoint taken by a newer"
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
        byte[] body = version >= VERSION_3 ? readBody(in) : null;
        String parkedReason = version >= VERSION_4 ? in.readUTF() : "";
        return new ObjectCommittable(
                destination, key, uploadId, etags, length, records, manifest, body, parkedReason);
    }

    private static byte[] readBody(DataInputDeserializer in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] body = new byte[n];
        in.readFully(body);
        return body;
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
