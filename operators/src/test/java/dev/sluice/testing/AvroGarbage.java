package dev.sluice.testing;

import dev.sluice.schemas.LogEvent;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.apache.avro.SchemaNormalization;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Kafka values with the current schema's header and a body of Avro-shaped garbage: varints, strings
 * with true or forged lengths, map blocks of any count, union indexes in and out of range. They get
 * past the header check into the reader, where random bytes rarely go.
 */
public final class AvroGarbage {

    private static final long FINGERPRINT =
            SchemaNormalization.parsingFingerprint64(LogEvent.SCHEMA$);

    private AvroGarbage() {}

    /** Values of header plus structured garbage. */
    public static Arbitrary<byte[]> bodies() {
        return Arbitraries.randomValue(AvroGarbage::body);
    }

    /** The zig-zag varint Avro writes for {@code n}. */
    public static byte[] varint(long n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10);
        long v = (n << 1) ^ (n >> 63);
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] body(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        for (int i = 0; i < 8; i++) {
            out.write((int) (FINGERPRINT >>> (8 * i)));
        }
        string(out, random);
        string(out, random);
        out.writeBytes(varint(random.nextLong()));
        int blocks = random.nextInt(3);
        for (int b = 0; b < blocks; b++) {
            int entries = random.nextInt(4);
            long count = random.nextInt(4) == 0 ? -entries : entries;
            out.writeBytes(varint(random.nextInt(8) == 0 ? random.nextLong() : count));
            if (count < 0) {
                out.writeBytes(varint(random.nextInt(64)));
            }
            for (int e = 0; e < entries; e++) {
                string(out, random);
                unionValue(out, random);
            }
        }
        if (random.nextBoolean()) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, Random random) {
        byte[] text = new byte[random.nextInt(12)];
        random.nextBytes(text);
        if (random.nextBoolean()) {
            text = ("s" + random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
        }
        long length =
                switch (random.nextInt(10)) {
                    case 0 -> random.nextLong();
                    case 1 -> -1 - random.nextInt(10);
                    case 2 -> Integer.MAX_VALUE;
                    default -> text.length;
                };
        out.writeBytes(varint(length));
        out.writeBytes(text);
    }

    private static void unionValue(ByteArrayOutputStream out, Random random) {
        int branch = random.nextInt(9) - 2;
        out.writeBytes(varint(branch));
        switch (branch) {
            case 1 -> out.write(random.nextInt(4));
            case 2 -> out.writeBytes(varint(random.nextLong()));
            case 3 -> out.writeBytes(new byte[random.nextInt(9)]);
            case 4 -> string(out, random);
            default -> {}
        }
    }
}
