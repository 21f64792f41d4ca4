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
 * given credentials again, never reads them from the store) and {@link #REASON}.
 */
public final class Parking {

    /** User metadata: the destination the batch was for, credentials redacted. */
    public static final String DESTINATION = "sluice-destination";

    /** User metadata: why it was parked (the destination's error, shortened). */
    public static final String REASON = "sluice-parked-reason";

    private static final int MAX_REASON = 512;

    private Parking() {}

    /** The key of a parked batch whose own key is {@code key}. */
    public static String parkedKey(Destination park, String key) {
        return park.prefix().isEmpty() ? key : park.prefix() + "/" + key;
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
        String printable = String.valueOf(reason).replaceAll("[^\\x20-\\x7e]", " ");
        m.put(
                REASON,
                printable.length() > MAX_REASON ? printable.substring(0, MAX_REASON) : printable);
        return m;
    }
}
