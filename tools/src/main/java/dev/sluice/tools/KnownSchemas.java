package dev.sluice.tools;

import dev.sluice.route.WriterSchemaVerdict;
import dev.sluice.route.WriterSchemas;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The writer schemas on the schema topic as the job judges them, by the job's own review: the
 * schemas a router that read the topic decodes, besides its own.
 */
final class KnownSchemas {

    /** One record of the topic and its verdict; the verdict is null for a tombstone. */
    record Entry(long offset, WriterSchemaVerdict verdict) {}

    private final List<Entry> entries;

    private KnownSchemas(List<Entry> entries) {
        this.entries = entries;
    }

    static KnownSchemas read(String bootstrapServers, String topic) {
        List<Entry> entries = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaClients.readAll(bootstrapServers, topic)) {
            WriterSchemaVerdict verdict =
                    r.value() == null
                            ? null
                            : WriterSchemas.review(new String(r.value(), StandardCharsets.UTF_8));
            entries.add(new Entry(r.offset(), verdict));
        }
        return new KnownSchemas(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** Fingerprints the job decodes: its own schema's and every accepted one's. */
    Set<Long> fingerprints() {
        Set<Long> known = new HashSet<>();
        known.add(WriterSchemas.READER_FINGERPRINT);
        for (Entry e : entries) {
            if (e.verdict() != null && e.verdict().isAccepted()) {
                known.add(e.verdict().fingerprint());
            }
        }
        return known;
    }
}
