package dev.sluice.route;

import dev.sluice.schemas.LogEvent;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one judge of writer schemas, for the router and for {@code bin/sluice schema}: a schema is
 * accepted only if it parses and Avro can resolve its records into this build's {@link LogEvent}
 * (Avro's own {@link SchemaCompatibility}), so a schema the job takes is one it can decode with.
 */
public final class WriterSchemas {

    /**
     * Broadcast state of the router: accepted writer schemas (JSON) by parsing fingerprint, so a
     * restart or a savepoint keeps them known. Only ever added to: records of a schema once known
     * may still be in Kafka.
     */
    public static final MapStateDescriptor<Long, String> STATE =
            new MapStateDescriptor<>("writer-schemas", Types.LONG, Types.STRING);

    /** The reader schema: this build's {@link LogEvent}. */
    public static final Schema READER = LogEvent.getClassSchema();

    /** Its parsing fingerprint, the one its own producers write. */
    public static final long READER_FINGERPRINT = SchemaNormalization.parsingFingerprint64(READER);

    /** How much of a parser's or the compatibility check's message a reason keeps. */
    private static final int REASON_KEPT_CHARS = 500;

    private WriterSchemas() {}

    /** Accepts {@code json} if it parses and its records resolve into the reader schema. */
    public static WriterSchemaVerdict review(String json) {
        Schema writer;
        try {
            writer = new Schema.Parser().parse(json);
        } catch (RuntimeException e) {
            return WriterSchemaVerdict.rejected(0, "unparsable schema: " + cut(e.getMessage()));
        }
        long fingerprint = SchemaNormalization.parsingFingerprint64(writer);
        SchemaCompatibility.SchemaPairCompatibility pair;
        try {
            pair = SchemaCompatibility.checkReaderWriterCompatibility(READER, writer);
        } catch (RuntimeException e) {
            return WriterSchemaVerdict.rejected(
                    fingerprint, "compatibility check failed: " + cut(String.valueOf(e)));
        }
        if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            String why =
                    pair.getResult().getIncompatibilities().stream()
                            .map(
                                    i ->
                                            i.getType()
                                                    + " at "
                                                    + i.getLocation()
                                                    + ": "
                                                    + i.getMessage())
                            .collect(Collectors.joining("; "));
            return WriterSchemaVerdict.rejected(
                    fingerprint, "incompatible with the reader schema: " + cut(why));
        }
        return WriterSchemaVerdict.accepted(writer, fingerprint, differences(writer));
    }

    /**
     * What the reader does with the record fields the writer does not write alike: fields only the
     * writer has are skipped, fields only the reader has take its default, and fields of another
     * type are promoted.
     */
    static List<String> differences(Schema writer) {
        List<String> out = new ArrayList<>();
        if (writer.getType() != Schema.Type.RECORD) {
            return out;
        }
        for (Schema.Field w : writer.getFields()) {
            Schema.Field r = READER.getField(w.name());
            if (r == null) {
                out.add("+ " + w.name() + " (" + w.schema() + "): not in the reader, skipped");
            } else if (!SchemaNormalization.toParsingForm(r.schema())
                    .equals(SchemaNormalization.toParsingForm(w.schema()))) {
                out.add("~ " + w.name() + ": written as " + w.schema() + ", read as " + r.schema());
            }
        }
        for (Schema.Field r : READER.getFields()) {
            if (writer.getField(r.name()) == null) {
                out.add("- " + r.name() + ": not written, read as its default " + r.defaultVal());
            }
        }
        return out;
    }

    private static String cut(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= REASON_KEPT_CHARS
                ? text
                : text.substring(0, REASON_KEPT_CHARS) + "...";
    }
}
