package dev.sluice.encode;

import dev.sluice.config.ActiveConfig;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.OutputOptions;
import dev.sluice.schemas.LogEvent;
import dev.sluice.testing.GeneratedConfigs;
import dev.sluice.testing.GeneratedEvents;
import dev.sluice.testing.TestConfigs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever options validation accepts and whatever event arrives, an encoder writes a record and
 * never throws; with plain ndjson each record is one JSON object, with plain csv one row.
 */
class RecordEncoderFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 300)
    void everyAcceptedOptionsEncodeEveryEvent(
            @ForAll("options") ObjectNode options,
            @ForAll @Size(max = 4)
                    List<@From(supplier = GeneratedEvents.Events.class) LogEvent> events) {
        OutputOptions accepted = accepted(options);
        if (accepted == null) {
            return;
        }
        RecordEncoder encoder = RecordEncoder.forOptions(accepted);
        BatchFraming framing = BatchFraming.forOptions(accepted);
        for (LogEvent event : events) {
            byte[] record = encoder.encode(event);

            assertThat(record).isNotNull();
        }
        assertThat(framing.overheadBytes(events.size())).isNotNegative();
    }

    @Property(tries = 300)
    void plainNdjsonRecordsAreJsonObjectsOfTheSelectedFields(
            @ForAll("plainNdjson") ObjectNode options,
            @ForAll(supplier = GeneratedEvents.Events.class) LogEvent event)
            throws IOException {
        OutputOptions accepted = accepted(options);
        if (accepted == null) {
            return;
        }
        byte[] record = RecordEncoder.forOptions(accepted).encode(event);

        String line = new String(record, StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
        JsonNode object = JSON.readTree(record);
        assertThat(object.isObject()).as(line).isTrue();
        assertThat(object.size()).isEqualTo(expectedFieldCount(accepted, event));
        if (accepted.cve202144228()) {
            assertThat(object.toString()).doesNotContain("${");
        }
    }

    @Property(tries = 200)
    void plainCsvRecordsAreOneRowOfTheSelectedColumns(
            @ForAll("fieldNames") List<String> fieldNames,
            @ForAll(supplier = GeneratedEvents.Events.class) LogEvent event)
            throws IOException {
        ObjectNode options = JSON.createObjectNode();
        options.put("output_type", "csv");
        fieldNames.forEach(options.putArray("field_names")::add);
        OutputOptions accepted = accepted(options);
        if (accepted == null) {
            return;
        }
        String row =
                new String(
                        RecordEncoder.forOptions(accepted).encode(event), StandardCharsets.UTF_8);

        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(row)).getRecords();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).size()).isEqualTo(fieldNames.size());
    }

    /** Distinct selected names, or every field but a reserved one plus the time. */
    private static int expectedFieldCount(OutputOptions options, LogEvent event) {
        if (!options.fieldNames().isEmpty()) {
            // A name listed twice is written twice: JSON keeps the last, so count distinct ones.
            Set<String> names = new LinkedHashSet<>();
            for (String name : options.fieldNames()) {
                names.add(options.cve202144228() ? LookupRedaction.apply(name) : name);
            }
            return names.size();
        }
        Set<String> names = new LinkedHashSet<>();
        names.add(RecordEncoder.TIMESTAMP_FIELD);
        for (String name : event.getFields().keySet()) {
            names.add(options.cve202144228() ? LookupRedaction.apply(name) : name);
        }
        return names.size();
    }

    /** The options as a config carrying them, once validated; null when validation refuses them. */
    static OutputOptions accepted(JsonNode options) {
        String config =
                TestConfigs.version(1)
                        .rawJob(GeneratedConfigs.job(1, "acme", TestConfigs.DATASET, options, ""))
                        .json();
        try {
            return ActiveConfig.parse(config).snapshot().jobs().get(0).outputOptions();
        } catch (InvalidConfigException e) {
            return null;
        }
    }

    @Provide
    Arbitrary<ObjectNode> options() {
        return GeneratedConfigs.outputOptions();
    }

    @Provide
    Arbitrary<ObjectNode> plainNdjson() {
        return GeneratedConfigs.plainNdjsonOptions();
    }

    @Provide
    Arbitrary<List<String>> fieldNames() {
        return net.jqwik.api.Arbitraries.of(GeneratedEvents.FIELD_NAMES)
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
    }
}
