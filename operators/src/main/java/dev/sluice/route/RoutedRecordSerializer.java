package dev.sluice.route;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Writes a {@link RoutedRecord} for the shuffle from router to buffer. Flink's POJO serializer did
 * it through reflection, field by field with a null flag each, and built every record with a
 * reflective constructor call: a few percent of both threads, once per record on each side.
 *
 * <p>An encoded record (the usual case) is a marker byte, the job, the event time and the line; a
 * ledger report, or anything else, also carries its counts. The type is never kept in keyed or
 * operator state, only on the wire (checkpoints are aligned: no records in flight are stored), so
 * the format may change with the build.
 */
public final class RoutedRecordSerializer extends TypeSerializerSingleton<RoutedRecord> {

    private static final long serialVersionUID = 1L;

    public static final RoutedRecordSerializer INSTANCE = new RoutedRecordSerializer();

    /** An encoded record with no ledger counts: job, time, line. */
    private static final byte LINE = 0;

    /** Every field: job, time, filtered, sampled out, then the line or -1 for none. */
    private static final byte FULL = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RoutedRecord createInstance() {
        return new RoutedRecord();
    }

    @Override
    public RoutedRecord copy(RoutedRecord from) {
        RoutedRecord copy =
                new RoutedRecord(
                        from.jobId,
                        from.timestampMicros,
                        from.line == null ? null : from.line.clone());
        copy.filtered = from.filtered;
        copy.sampledOut = from.sampledOut;
        return copy;
    }

    @Override
    public RoutedRecord copy(RoutedRecord from, RoutedRecord reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RoutedRecord record, DataOutputView out) throws IOException {
        boolean plainLine = record.line != null && record.filtered == 0 && record.sampledOut == 0;
        out.writeByte(plainLine ? LINE : FULL);
        out.writeLong(record.jobId);
        out.writeLong(record.timestampMicros);
        if (!plainLine) {
            out.writeLong(record.filtered);
            out.writeLong(record.sampledOut);
        }
        if (record.line == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(record.line.length);
            out.write(record.line);
        }
    }

    @Override
    public RoutedRecord deserialize(DataInputView in) throws IOException {
        return deserialize(new RoutedRecord(), in);
    }

    @Override
    public RoutedRecord deserialize(RoutedRecord reuse, DataInputView in) throws IOException {
        byte form = in.readByte();
        if (form != LINE && form != FULL) {
            throw new IOException("not a routed record: form " + form);
        }
        reuse.jobId = in.readLong();
        reuse.timestampMicros = in.readLong();
        reuse.filtered = form == FULL ? in.readLong() : 0;
        reuse.sampledOut = form == FULL ? in.readLong() : 0;
        int length = in.readInt();
        if (length < -1) {
            throw new IOException("not a routed record: line length " + length);
        }
        if (length == -1) {
            reuse.line = null;
        } else {
            byte[] line = new byte[length];
            in.readFully(line);
            reuse.line = line;
        }
        return reuse;
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<RoutedRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: its snapshot only names it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RoutedRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
