package dev.sluice.chaos;

import java.util.Random;

/**
 * Poison for the logs topic: null values (a tombstone), empty values, random bytes and valid
 * records cut in half. Each must be dead-lettered and counted undecodable; the first two with the
 * reason {@code empty value}.
 */
enum LogPoison {
    NULL {
        @Override
        byte[] value(int n, Random random) {
            return null;
        }
    },
    EMPTY {
        @Override
        byte[] value(int n, Random random) {
            return BadInput.EMPTY.value(n);
        }
    },
    RANDOM_BYTES {
        @Override
        byte[] value(int n, Random random) {
            byte[] junk = new byte[1 + random.nextInt(256)];
            random.nextBytes(junk);
            return junk;
        }
    },
    TRUNCATED {
        @Override
        byte[] value(int n, Random random) {
            return BadInput.TRUNCATED.value(n);
        }
    };

    /** The dead-letter reason of a null or empty value. */
    static final String EMPTY_REASON = BadInput.EMPTY.reason;

    /** The {@code n}-th value of this kind. */
    abstract byte[] value(int n, Random random);

    /** Whether its dead letter must give {@link #EMPTY_REASON}. */
    boolean empty() {
        return this == NULL || this == EMPTY;
    }
}
