package dev.sluice.sink;

import dev.sluice.config.Compression;
import dev.sluice.config.Destination;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys, after Logpush: {@code <prefix>/<first>_<last>_<job>-<seq>.log.gz} (or {@code
 * .log.zst}) with the destination's {@code {DATE}} expanded to the first event's UTC date and times
 * as {@code YYYYMMDDTHHMMSSZ}. The (job, seq) pair makes a key unique; the times are for people.
 */
public final class ObjectKeys {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern JOB_SEQ = Pattern.compile("_(\\d+)-(\\d+)\\.log\\.(?:gz|zst)$");

    private ObjectKeys() {}

    public static String keyFor(
            Destination destination, long jobId, long seq, long firstMicros, long lastMicros) {
        return keyFor(destination, jobId, seq, firstMicros, lastMicros, Compression.GZIP);
    }

    public static String keyFor(
            Destination destination,
            long jobId,
            long seq,
            long firstMicros,
            long lastMicros,
            Compression compression) {
        Instant first = toInstant(firstMicros);
        String prefix = destination.prefixFor(first.atZone(ZoneOffset.UTC).toLocalDate());
        String name =
                TIME.format(first)
                        + "_"
                        + TIME.format(toInstant(lastMicros))
                        + "_"
                        + jobId
                        + "-"
                        + seq
                        + compression.keySuffix();
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The batch sequence of a key of {@code jobId}, if the key is one of that job's. */
    public static OptionalLong sequenceOf(String key, long jobId) {
        Matcher m = JOB_SEQ.matcher(key);
        if (m.find() && Long.parseLong(m.group(1)) == jobId) {
            return OptionalLong.of(Long.parseLong(m.group(2)));
        }
        return OptionalLong.empty();
    }

    /** The (job, sequence) a key names, if it is a Sluice key. */
    public static java.util.Optional<long[]> jobAndSequence(String key) {
        Matcher m = JOB_SEQ.matcher(key);
        if (m.find()) {
            return java.util.Optional.of(
                    new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        return java.util.Optional.empty();
    }

    /** The part of the prefix before any {@code {DATE}}: where a job's keys may be listed. */
    public static String listingPrefix(Destination destination) {
        String prefix = destination.prefix();
        int date = prefix.indexOf(Destination.DATE_PLACEHOLDER);
        String fixed = date < 0 ? prefix : prefix.substring(0, date);
        return fixed.isEmpty() || fixed.endsWith("/") || date >= 0 ? fixed : fixed + "/";
    }

    private static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
