package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * jqwik generators of what a delivery job configures per record: output options and filters, as the
 * JSON a config snapshot carries. Most of what they generate passes validation; tests keep what the
 * validator accepts, since only that reaches the router.
 */
public final class GeneratedConfigs {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final List<String> OPERATORS =
            List.of(
                    "eq",
                    "!eq",
                    "lt",
                    "leq",
                    "gt",
                    "geq",
                    "startsWith",
                    "!startsWith",
                    "endsWith",
                    "!endsWith",
                    "contains",
                    "!contains",
                    "in",
                    "!in");

    private static final List<String> FRAMING =
            List.of(
                    "",
                    ",",
                    "\t",
                    "||",
                    "|",
                    "-",
                    "0",
                    "9",
                    "{",
                    "}\n",
                    "[",
                    "]",
                    "\"",
                    "\\",
                    "\r\n",
                    "${",
                    "\uD800",
                    "\uDC00x",
                    "😀",
                    "é",
                    "x".repeat(256));

    private GeneratedConfigs() {}

    /** Output options objects: either type, any timestamp format, framing of every kind. */
    public static Arbitrary<ObjectNode> outputOptions() {
        return Arbitraries.oneOf(plainNdjsonOptions(), framedOptions());
    }

    /** ndjson with its default framing, whose records must each be one JSON object. */
    public static Arbitrary<ObjectNode> plainNdjsonOptions() {
        return Combinators.combine(fieldNames(), timestampFormats(), Arbitraries.of(true, false))
                .as((names, format, redact) -> options("ndjson", names, format, redact));
    }

    private static Arbitrary<ObjectNode> framedOptions() {
        Arbitrary<String> framing =
                Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.of(FRAMING)),
                        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(8)));
        return Combinators.combine(
                        Arbitraries.of("ndjson", "csv"),
                        fieldNames(),
                        timestampFormats(),
                        Arbitraries.of(true, false),
                        framing.list().ofSize(6),
                        Arbitraries.of(1.0, 1.0, 1.0, 0.5, 0.01, 1e-9))
                .as(
                        (type, names, format, redact, framings, rate) -> {
                            ObjectNode options = options(type, names, format, redact);
                            options.put("sample_rate", rate);
                            options.put("record_prefix", framings.get(0));
                            options.put("record_suffix", framings.get(1));
                            options.put("record_delimiter", framings.get(2));
                            options.put("field_delimiter", framings.get(3));
                            options.put("batch_prefix", framings.get(4));
                            options.put("batch_suffix", framings.get(5));
                            return options;
                        });
    }

    private static ObjectNode options(String type, ArrayNode names, String format, boolean redact) {
        ObjectNode options = NODES.objectNode();
        options.put("output_type", type);
        options.set("field_names", names);
        options.put("timestamp_format", format);
        options.put("CVE-2021-44228", redact);
        return options;
    }

    private static Arbitrary<ArrayNode> fieldNames() {
        Arbitrary<String> names =
                Arbitraries.oneOf(
                        Arbitraries.of(GeneratedEvents.FIELD_NAMES),
                        Arbitraries.strings().ofMaxLength(10));
        return Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.just(List.<String>of())),
                        Tuple.of(4, names.list().ofMinSize(1).ofMaxSize(8)))
                .map(
                        list -> {
                            ArrayNode array = NODES.arrayNode();
                            list.forEach(array::add);
                            return array;
                        });
    }

    private static Arbitrary<String> timestampFormats() {
        return Arbitraries.of("unixnano", "unix", "rfc3339", "RFC3339");
    }

    /** Filter JSON, {@code {"where": NODE}}, of and/or trees up to three levels deep. */
    public static Arbitrary<String> filters() {
        return node(3).map(node -> NODES.objectNode().set("where", node).toString());
    }

    private static Arbitrary<JsonNode> node(int depth) {
        if (depth == 0) {
            return leaves();
        }
        Arbitrary<JsonNode> junction =
                Combinators.combine(
                                Arbitraries.of("and", "or"),
                                Arbitraries.lazy(() -> node(depth - 1))
                                        .list()
                                        .ofMinSize(1)
                                        .ofMaxSize(3))
                        .as(
                                (name, children) -> {
                                    ArrayNode array = NODES.arrayNode();
                                    children.forEach(array::add);
                                    return NODES.objectNode().set(name, array);
                                });
        return Arbitraries.frequencyOf(Tuple.of(3, leaves()), Tuple.of(1, junction));
    }

    /** Leaves of every operator, with values of every JSON type at their boundaries. */
    public static Arbitrary<JsonNode> leaves() {
        Arbitrary<String> keys =
                Arbitraries.oneOf(
                        Arbitraries.of(GeneratedEvents.FIELD_NAMES),
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(10));
        return Combinators.combine(keys, Arbitraries.of(OPERATORS), filterValues())
                .as(
                        (key, operator, value) ->
                                NODES.objectNode()
                                        .put("key", key)
                                        .put("operator", operator)
                                        .set("value", value));
    }

    private static Arbitrary<JsonNode> filterValues() {
        Arbitrary<JsonNode> scalars =
                Arbitraries.oneOf(
                        GeneratedEvents.texts().filter(t -> t.length() < 40).map(NODES::textNode),
                        Arbitraries.longs().map(NODES::numberNode),
                        Arbitraries.doubles().map(NODES::numberNode),
                        Arbitraries.of(
                                NODES.numberNode(200),
                                NODES.numberNode(-0.0),
                                NODES.numberNode(0.5),
                                NODES.numberNode(Long.MIN_VALUE),
                                NODES.numberNode(Long.MAX_VALUE),
                                NODES.numberNode(1e308),
                                NODES.numberNode(0x1p63),
                                NODES.numberNode(new BigDecimal("1e400")),
                                NODES.numberNode(new BigDecimal("-1e-400")),
                                NODES.numberNode(new BigInteger("9".repeat(30))),
                                NODES.booleanNode(true),
                                NODES.booleanNode(false),
                                NODES.nullNode()));
        Arbitrary<JsonNode> arrays =
                scalars.list()
                        .ofMinSize(1)
                        .ofMaxSize(5)
                        .map(
                                list -> {
                                    ArrayNode array = NODES.arrayNode();
                                    list.forEach(array::add);
                                    return array;
                                });
        return Arbitraries.frequencyOf(Tuple.of(3, scalars), Tuple.of(1, arrays));
    }

    /** A job of {@code customer} and {@code dataset} with these options and filter, as JSON. */
    public static String job(
            long id, String customer, String dataset, JsonNode outputOptions, String filter) {
        ObjectNode job = NODES.objectNode();
        job.put("id", id);
        job.put("customer_id", customer);
        job.put("dataset", dataset);
        job.put("destination_conf", "s3://logs-bucket/job-" + id);
        job.set("output_options", outputOptions);
        job.put("filter", filter);
        return job.toString();
    }
}
