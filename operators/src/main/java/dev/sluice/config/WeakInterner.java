package dev.sluice.config;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One shared instance per distinct immutable value, forgotten once nothing else holds it. Configs
 * repeat values across jobs (a fleet's jobs mostly share their output options), and at a million
 * jobs one copy per job is gigabytes of equal objects.
 */
final class WeakInterner<T> {

    // The value refers to the key weakly too, or no entry could ever be collected.
    private final Map<T, WeakReference<T>> instances = new WeakHashMap<>();

    /** The instance equal to {@code value} already in use, or {@code value} itself. */
    synchronized T intern(T value) {
        WeakReference<T> known = instances.get(value);
        T instance = known == null ? null : known.get();
        if (instance != null) {
            return instance;
        }
        instances.put(value, new WeakReference<>(value));
        return value;
    }
}
