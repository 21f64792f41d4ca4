package dev.sluice.sink;

import dev.sluice.config.Destination;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a batch goes when its destination fails: the pipeline's park destination, under the batch's
 * own key, so a parked batch keeps its name and can be re-driven to where it belongs.
 *
 * <p>Layout: {@code <park prefix>/<original key>}; the object keeps its user metadata and gains
 * {@link #DESTINATION} (the job's {@code destination_conf} with credentials redacted: redrive is
 * given credentials again, never reads them from the store) and {@link #REASON}. A staged object
 * that its destination would not complete is parked by reference: {@code <park
 * prefix>/_stranded/<original key>.json} ({@link dev.sluice.sink.StrandedUpload}).
 */
public final class Parking {

    /** User metadata: the destination the batch was for, credentials redacted. */
    public static final String DESTINATION = "sluice-destination";

    /** User metadata: why it was parked (the destination's error, shortened). */
    public static final String REASON = "sluice-parked-reason";

    private static final int MAX_REASON = 512;

    /** Under the park prefix: the records of stranded uploads, apart from parked batches. */
    public static final String STRANDED = "_stranded/";

    private static final String STRANDED_SUFFIX = ".json";

    private Parking() {}

    /** The key of a parked batch whose own key is {@code key}. */
    public static String parkedKey(Destination park, String key) {
        return park.prefix().isEmpty() ? key : park.prefix() + "/" + key;
    }

    /** The key of the record of a stranded upload whose own key is {@code key}. */
    public static String strandedKey(Destination park, String key) {
        return parkedKey(park, STRANDED + key + STRANDED_SUFFIX);
    }

    /** Whether a key under the park prefix is a stranded upload's record, not a parked batch. */
    public static boolean isStranded(Destination park, String parkedKey) {
        String prefix = park.prefix().isEmpty() ? "" : park.prefix() + "/";
        return parkedKey.startsWith(prefix + STRANDED) && parkedKey.endsWith(STRANDED_SUFFIX);
    }

    /** The stranded upload's own key, from the key of its record. */
    public static String strandedOriginalKey(Destination park, String strandedKey) {
        String inner = originalKey(park, strandedKey);
        if (!isStranded(park, strandedKey)) {
            throw new IllegalArgumentException(strandedKey + " is not a stranded upload's record");
        }
        return inner.substring(STRANDED.length(), inner.length() - STRANDED_SUFFIX.length());
    }

    /** The batch's own key, from its parked key. */
    public static String originalKey(Destination park, String parkedKey) {
        String prefix = park.prefix().isEmpty() ? "" : park.prefix() + "/";
        if (!parkedKey.startsWith(prefix)) {
            throw new IllegalArgumentException(parkedKey + " is not under " + prefix);
        }
        return parkedKey.substring(prefix.length());
    }

    /** The metadata a parked batch carries: its own, plus where it was going and why not. */
    public static Map<String, String> metadata(
            Map<String, String> batchMetadata, String destinationConf, String reason) {
        Map<String, String> m = new LinkedHashMap<>(batchMetadata);
        m.put(DESTINATION, Destination.redact(destinationConf));
        m.put(REASON, shortReason(reason));
        return m;
    }

    /**
     * A reason as metadata carries it: credentials redacted, printable ASCII, at most {@value
     * #MAX_REASON} chars.
     */
    public static String shortReason(String reason) {
        String printable =
                Destination.redact(String.valueOf(reason)).replaceAll("[^\\x20-\\x7e]", " ");
        return printable.length() > MAX_REASON ? printable.substring(0, MAX_REASON) : printable;
    }
}
