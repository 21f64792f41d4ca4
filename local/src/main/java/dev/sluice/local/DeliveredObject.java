package dev.sluice.local;

import dev.sluice.sink.ObjectKeys;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An object read back from the bucket and decompressed.
 *
 * @param key the object key
 * @param bytes the object's stored (compressed) size
 * @param lines its lines (NDJSON, or CSV whose quoted fields may span lines)
 * @param metadata its user metadata ({@code sluice-records} and the rest of the batch's)
 */
public record DeliveredObject(
        String key, long bytes, List<String> lines, Map<String, String> metadata) {

    public DeliveredObject {
        metadata = Map.copyOf(metadata);
    }

    public DeliveredObject(String key, long bytes, List<String> lines) {
        this(key, bytes, lines, Map.of());
    }

    /**
     * Its records, as the sink counted them ({@code sluice-records}): a CSV record whose field
     * holds a newline is one record on two lines. Lines for an object without that metadata.
     */
    public long records() {
        String records = metadata.get("sluice-records");
        return records == null ? lines.size() : Long.parseLong(records);
    }

    /** The delivery job whose object this is, from the key's {@code _<job>-<seq>.log.gz}. */
    public long jobId() {
        int end = key.lastIndexOf('-');
        int start = key.lastIndexOf('_', end);
        long job = Long.parseLong(key.substring(start + 1, end));
        OptionalLong seq = ObjectKeys.sequenceOf(key, job);
        if (seq.isEmpty()) {
            throw new IllegalStateException("not a Sluice object key: " + key);
        }
        return job;
    }
}
