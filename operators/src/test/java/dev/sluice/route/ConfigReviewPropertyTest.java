package dev.sluice.route;

import dev.sluice.config.ActiveConfig;
import dev.sluice.config.Compression;
import dev.sluice.config.ConfigHolder;
import dev.sluice.config.ConfigSnapshot;
import dev.sluice.config.ConfigVerdict;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.Destination;
import dev.sluice.config.InMemoryBroadcastState;
import dev.sluice.config.StartConfig;
import dev.sluice.encode.RecordEncoder;
import dev.sluice.schemas.LogEvent;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.testing.TestConfigs;
import dev.sluice.testing.TestEvents;
import dev.sluice.testing.TestOutputOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.cache.DistributedCache;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever arrives on the config topic, the review answers with a verdict and never throws; what it
 * accepts, the router can build and use: routes, filters, samplers, encoders and object keys.
 */
class ConfigReviewPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Where a generated value may go in an upserted job, output options included. */
    private static final List<String> JOB_FIELDS =
            Stream.concat(
                            TestConfigs.JOB_KEYS.stream(),
                            TestOutputOptions.KEYS.stream().map(key -> "output_options." + key))
                    .toList();

    @Property(tries = 300)
    void anyTextGetsAVerdict(@ForAll("text") String update) throws Exception {
        review(update);
    }

    @Property(tries = 1000)
    void anUpsertThatIsAcceptedCanBeBuiltAndUsed(@ForAll("upserts") String update)
            throws Exception {
        ActiveConfig config = review(update);
        if (config != null) {
            for (DeliveryJob job : config.snapshot().jobs()) {
                buildAndUse(job);
            }
        }
    }

    @Property(tries = 1000)
    void anUpsertThatIsRefusedNamesTheFieldThatWasChanged(
            @ForAll("fieldChanges") FieldChange change) throws Exception {
        ConfigVerdict verdict = verdict(upsert(change.field(), change.value(), 2));
        if (verdict.kind() == ConfigVerdict.Kind.REJECTED) {
            assertThat(verdict.reason()).contains(change.leaf());
        }
    }

    @Property(tries = 200)
    void anUnknownFieldIsRefusedByName(@ForAll("unknownFields") String field) throws Exception {
        ConfigVerdict verdict = verdict(upsert(field, NODES.numberNode(1), 2));
        assertThat(verdict.kind()).isEqualTo(ConfigVerdict.Kind.REJECTED);
        assertThat(verdict.reason()).contains("unknown field '" + leaf(field) + "'");
    }

    /** One field of the sample job set to one value. */
    record FieldChange(String field, JsonNode value) {
        String leaf() {
            return ConfigReviewPropertyTest.leaf(field);
        }
    }

    private static String leaf(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }

    @Provide
    Arbitrary<FieldChange> fieldChanges() {
        return Combinators.combine(Arbitraries.of(JOB_FIELDS), values()).as(FieldChange::new);
    }

    @Provide
    Arbitrary<String> unknownFields() {
        Arbitrary<String> name =
                Arbitraries.strings()
                        .withCharRange('a', 'z')
                        .ofMinLength(1)
                        .ofMaxLength(12)
                        .filter(n -> !KNOWN.contains(n));
        return Arbitraries.oneOf(name, name.map(n -> "output_options." + n));
    }

    /** Field names the sample job may carry, Logpush's ignored ones included. */
    private static final Set<String> KNOWN =
            Stream.of(
                            TestConfigs.JOB_KEYS,
                            TestOutputOptions.KEYS,
                            List.of(
                                    "name",
                                    "kind",
                                    "frequency",
                                    "ownership_challenge",
                                    "last_complete",
                                    "last_error",
                                    "error_message",
                                    "logpull_options",
                                    "record_template"))
                    .flatMap(List::stream)
                    .collect(Collectors.toUnmodifiableSet());

    private static ConfigVerdict verdict(String update) throws Exception {
        ConfigHolder holder = new ConfigHolder(StartConfig.inline(start()));
        holder.open(new DistributedCache(Map.of()));
        return holder.offer(update, new InMemoryBroadcastState());
    }

    /** Offers {@code update} to a job running the start config; the config it then runs on. */
    private static ActiveConfig review(String update) throws Exception {
        ConfigHolder holder = new ConfigHolder(StartConfig.inline(start()));
        holder.open(new DistributedCache(Map.of()));
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        ConfigVerdict verdict = holder.offer(update, state);
        assertThat(verdict.reason()).as("a verdict says why").isNotNull();
        return verdict.kind() == ConfigVerdict.Kind.ACCEPTED ? holder.current(state) : null;
    }

    /** What the router and the buffer build from an accepted job, and one record through it. */
    private static void buildAndUse(DeliveryJob job) {
        RoutingTable table = new RoutingTable(ActiveConfig.of(config(job)));
        LogEvent event = TestEvents.event(job.customerId(), TestEvents.T0_MICROS, 200);
        byte[] value = TestEvents.encoded(job.customerId(), TestEvents.T0_MICROS, 200);
        for (RoutingTable.Route route : table.routes(job.customerId(), job.dataset())) {
            route.filter().test(event);
            route.sampler().keep(value);
            for (RecordEncoder encoder : table.newEncoders()) {
                encoder.encode(event);
            }
        }
        Destination destination = Destination.parse(job.destinationConf());
        Compression codec = Compression.ofStored(job.outputOptions().compression());
        long now = Instant.now().toEpochMilli() * 1000;
        assertThat(ObjectKeys.keyFor(destination, job.id(), 0, now, now, codec)).isNotBlank();
    }

    private static ConfigSnapshot config(DeliveryJob job) {
        return new ConfigSnapshot(2, List.of(job));
    }

    private static String start() {
        return TestConfigs.version(1).job(1, "acme").job(2, "beta").json();
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of("", "null", "[]", "{}", "\"x\"", "{\"version\":", "{\"upsert\":1}"),
                Arbitraries.strings().withChars("{}[]\":,0123456789-.eE ntrufals").ofMaxLength(60));
    }

    @Provide
    Arbitrary<String> upserts() {
        return Combinators.combine(
                        Arbitraries.of(JOB_FIELDS), values(), Arbitraries.longs().between(-1, 5))
                .as(ConfigReviewPropertyTest::upsert);
    }

    /** The sample job, version {@code version}, with {@code field} set to {@code value}. */
    private static String upsert(String field, JsonNode value, long version) {
        ObjectNode job =
                (ObjectNode) json(TestConfigs.version(2).job(3, "gamma").json()).get("jobs").get(0);
        ObjectNode target = job;
        String name = field;
        if (field.startsWith("output_options.")) {
            target = (ObjectNode) job.get("output_options");
            name = field.substring("output_options.".length());
        }
        target.set(name, value);
        ObjectNode update = NODES.objectNode();
        update.put("version", version + 1);
        update.set("upsert", job);
        return update.toString();
    }

    /** JSON values of every type, with the boundaries and the strings most likely to break. */
    private static Arbitrary<JsonNode> values() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        NODES.nullNode(),
                        NODES.booleanNode(true),
                        NODES.numberNode(0),
                        NODES.numberNode(-1),
                        NODES.numberNode(Long.MAX_VALUE),
                        NODES.numberNode(1e308),
                        NODES.numberNode(0.5),
                        NODES.textNode(""),
                        NODES.textNode(" "),
                        NODES.textNode("s3://bucket/p?region=us-east-1&timeout=abc"),
                        NODES.textNode("s3://bucket/p?endpoint=not a url"),
                        NODES.textNode("s3://bucket/p?endpoint=http://127.0.0.1:99999"),
                        NODES.textNode("s3:///nobucket"),
                        NODES.textNode("r2://bucket/p?account-id="),
                        NODES.textNode("file:///tmp/sluice-prop/{DATE}"),
                        NODES.textNode("ftp://host/x"),
                        NODES.textNode("ClientIP eq 1"),
                        NODES.textNode("{\"where\":{\"key\":\"ClientIP\",\"operator\":\"eq\"}}"),
                        NODES.textNode("ndjson"),
                        NODES.textNode("csv"),
                        NODES.textNode("unixnano"),
                        NODES.textNode("rfc3339"),
                        NODES.textNode("zstd"),
                        NODES.textNode("\u0000\uFFFF\uD800"),
                        NODES.arrayNode(),
                        NODES.arrayNode().add("ClientIP").add(1).addNull(),
                        NODES.objectNode(),
                        NODES.objectNode().put("unknown", 1)),
                Arbitraries.strings().ofMaxLength(40).map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode));
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
