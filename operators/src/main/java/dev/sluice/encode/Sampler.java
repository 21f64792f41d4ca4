package dev.sluice.encode;

import dev.sluice.config.DeliveryJob;

import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Logpush's {@code sample_rate} as a deterministic decision per record: the same job and the same
 * Kafka value bytes always get the same answer, so a replay after a failure or from a savepoint
 * delivers exactly the records the first run delivered.
 *
 * <p>The decision hashes the raw value with XXH64 seeded with the job id, maps the top 53 bits to a
 * uniform number in [0, 1) and keeps the record when that number is below the rate. Seeding with
 * the job id makes two jobs at the same rate sample independently. Identical values (a producer's
 * duplicates) share one decision.
 */
public final class Sampler {

    /** 2<sup>-53</sup>: turns 53 random bits into a double in [0, 1), as SplittableRandom does. */
    private static final double UNIT = 0x1.0p-53;

    /** lz4-java's XXH64 (the library Kafka's clients already use); thread-safe, stateless. */
    private static final XXHash64 XXH64 = XXHashFactory.fastestJavaInstance().hash64();

    /** Every job that keeps every record shares this one: its seed is never used. */
    private static final Sampler KEEP_ALL = new Sampler(0, 1.0);

    private final long seed;
    private final double rate;

    /**
     * @param sampleRate the share of records to keep, in (0, 1]
     */
    public Sampler(long jobId, double sampleRate) {
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " is outside (0, 1]");
        }
        this.seed = jobId;
        this.rate = sampleRate;
    }

    /** The sampler of a validated job's {@code sample_rate}. */
    /** Keeps every record. */
    public static Sampler keepAll() {
        return KEEP_ALL;
    }

    public static Sampler forJob(DeliveryJob job) {
        double rate = job.outputOptions().sampleRate();
        return rate >= 1.0 ? KEEP_ALL : new Sampler(job.id(), rate);
    }

    /** Whether every record is kept, so callers may skip {@link #keep} altogether. */
    public boolean keepsAll() {
        return rate >= 1.0;
    }

    /** Whether the record whose Kafka value is {@code value} is delivered. */
    public boolean keep(byte[] value) {
        if (keepsAll()) {
            return true;
        }
        return (XXH64.hash(value, 0, value.length, seed) >>> 11) * UNIT < rate;
    }
}
