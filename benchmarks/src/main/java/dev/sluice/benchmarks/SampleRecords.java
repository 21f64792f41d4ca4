package dev.sluice.benchmarks;

import dev.sluice.local.HttpLogGenerator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * NDJSON lines of the {@code http_requests} dataset as the encoder writes them (about 300 bytes,
 * Cloudflare-like field names), and a spread of records over jobs skewed like a real fleet's. The
 * paths, user agents and skew are the local run's generator's ({@link HttpLogGenerator}).
 *
 * <p>Compression ratios and speeds depend on the data, so the lines mix what real logs have: a few
 * repeated values (paths, statuses, user agents), near-sequential timestamps, and per-request
 * entropy (client IPs, ray ids, byte counts). Deterministic for a seed, so runs compare.
 */
final class SampleRecords {

    /** 2024-11-14T10:15:00Z, in microseconds. */
    static final long T0_MICROS = 1_731_579_300_000_000L;

    private static final int[] STATUSES = {200, 200, 200, 200, 200, 200, 304, 301, 404, 403, 500};
    private final SplittableRandom random;
    private long micros = T0_MICROS;

    SampleRecords(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * A job id in {@code [0, jobs)}, low ids the busiest, with the local run's generator's skew
     * ({@link HttpLogGenerator#skewed}): some batches close on size while others sit half-full, as
     * in production.
     */
    int nextJob(int jobs) {
        return HttpLogGenerator.skewed(random.nextDouble(), jobs);
    }

    /** Event time a few microseconds after the previous one, as in one ordered partition. */
    long nextMicros() {
        micros += 1 + random.nextInt(50);
        return micros;
    }

    /** One record of {@code job} at {@code timestampMicros}: a JSON object and a newline. */
    byte[] line(long job, long timestampMicros) {
        String host = String.format(Locale.ROOT, "c%04d.example.com", job);
        StringBuilder s = new StringBuilder(360);
        s.append("{\"ClientIP\":\"198.51.")
                .append(random.nextInt(256))
                .append('.')
                .append(random.nextInt(256))
                .append('"');
        s.append(",\"ClientRequestHost\":\"").append(host).append('"');
        s.append(",\"ClientRequestPath\":\"").append(pick(HttpLogGenerator.PATHS)).append('"');
        s.append(",\"EdgeResponseStatus\":").append(STATUSES[random.nextInt(STATUSES.length)]);
        s.append(",\"EdgeResponseBytes\":").append(200 + random.nextInt(200_000));
        s.append(",\"EdgeStartTimestamp\":").append(timestampMicros * 1000);
        s.append(",\"RayID\":\"").append(Long.toHexString(random.nextLong() | Long.MIN_VALUE));
        s.append("\",\"UserAgent\":\"").append(pick(HttpLogGenerator.AGENTS)).append("\"}\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Consecutive records of one job until they hold at least {@code bytes}: what the buffer
     * compresses as one chunk once that many bytes are pending.
     */
    List<byte[]> chunk(long job, long bytes) {
        List<byte[]> records = new ArrayList<>();
        long total = 0;
        while (total < bytes) {
            byte[] line = line(job, nextMicros());
            records.add(line);
            total += line.length;
        }
        return records;
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
