package dev.sluice.route;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.WithNull;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutedRecordSerializerTest {

    private static final RoutedRecordSerializer SERIALIZER = RoutedRecordSerializer.INSTANCE;

    @Property(tries = 500)
    void everyRecordReadsBackAsItWasWritten(
            @ForAll long jobId,
            @ForAll long micros,
            @ForAll @WithNull(0.2) @Size(max = 2000) byte[] line,
            @ForAll long filtered,
            @ForAll long sampledOut,
            @ForAll boolean ledgerCounts)
            throws IOException {
        RoutedRecord record = new RoutedRecord(jobId, micros, line);
        if (ledgerCounts) {
            record.filtered = filtered;
            record.sampledOut = sampledOut;
        }

        byte[] written = write(record);
        RoutedRecord read = SERIALIZER.deserialize(new DataInputDeserializer(written));
        RoutedRecord reused =
                SERIALIZER.deserialize(
                        RoutedRecord.ledgerReport(7, 8, 9), new DataInputDeserializer(written));
        DataOutputSerializer copied = new DataOutputSerializer(64);
        SERIALIZER.copy(new DataInputDeserializer(written), copied);

        for (RoutedRecord r : new RoutedRecord[] {read, reused, SERIALIZER.copy(record)}) {
            assertThat(r.jobId).isEqualTo(record.jobId);
            assertThat(r.timestampMicros).isEqualTo(record.timestampMicros);
            assertThat(r.line).isEqualTo(record.line);
            assertThat(r.filtered).isEqualTo(record.filtered);
            assertThat(r.sampledOut).isEqualTo(record.sampledOut);
        }
        assertThat(copied.getCopyOfBuffer()).isEqualTo(written);
    }

    @Test
    void anEncodedRecordCostsNoLedgerFields() throws IOException {
        // marker, job, time, length, line
        assertThat(write(new RoutedRecord(1, 2, new byte[10]))).hasSize(1 + 8 + 8 + 4 + 10);
    }

    @Test
    void bytesThatAreNoRoutedRecordAreRefused() {
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(new byte[] {7})))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("form 7");
        byte[] negative = new byte[1 + 8 + 8 + 4];
        negative[17] = (byte) 0xff;
        negative[18] = (byte) 0xff;
        negative[19] = (byte) 0xff;
        negative[20] = (byte) 0xf0;
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(negative)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("line length");
    }

    @Test
    void flinkFindsTheSerializerThroughTheTypeAndItsSnapshotRestoresIt() throws IOException {
        TypeInformation<RoutedRecord> type = TypeInformation.of(RoutedRecord.class);
        assertThat(type).isInstanceOf(RoutedRecordTypeInfo.class);

        TypeSerializerSnapshot<RoutedRecord> snapshot = SERIALIZER.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(16);
        snapshot.writeSnapshot(out);
        RoutedRecordSerializer.Snapshot read = new RoutedRecordSerializer.Snapshot();
        read.readSnapshot(
                snapshot.getCurrentVersion(),
                new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());

        assertThat(read.restoreSerializer()).isSameAs(SERIALIZER);
        TypeSerializerSchemaCompatibility<RoutedRecord> compatibility =
                SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    private static byte[] write(RoutedRecord record) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(record, out);
        return out.getCopyOfBuffer();
    }
}
