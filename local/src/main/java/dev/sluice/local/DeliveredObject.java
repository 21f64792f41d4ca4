package dev.sluice.local;

import dev.sluice.sink.ObjectKeys;

import java.util.List;
import java.util.OptionalLong;

/**
 * An object read back from the bucket and decompressed.
 *
 * @param key the object key
 * @param bytes the object's stored (compressed) size
 * @param lines its NDJSON lines
 */
public record DeliveredObject(String key, long bytes, List<String> lines) {

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
