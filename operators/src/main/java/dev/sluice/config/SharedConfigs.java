package dev.sluice.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Configs held by the subtasks running in this JVM, one instance per key, so a TaskManager builds
 * each once rather than once per subtask (a million jobs parse into gigabytes). Three kinds: {@link
 * #STARTS} (a start config, by its hash), {@link #RESTORED} (a config read from a restored state)
 * and {@link #UPDATED} (the review of an update to a config in force). Subtasks of a job start from
 * the same start config or restore the same state and receive the same broadcast updates, so their
 * keys agree and they hold one config between them.
 *
 * <p>Counted, not cached: each holder takes a {@link Lease} for what it holds and returns it when
 * it moves on or its operator closes (Flink closes an operator also when it fails or is cancelled).
 * The last return drops the entry, so a cancelled job's config can be collected, and a job
 * restarted after that builds it again. Only immutable values are shared.
 *
 * @param <V> what is shared: immutable
 */
final class SharedConfigs<V> {

    /** Start configs by the SHA-256 of their file. */
    static final SharedConfigs<ParsedStartConfig> STARTS = new SharedConfigs<>();

    /** Restored configs by the start config's hash and the SHA-256 of the stored value. */
    static final SharedConfigs<ConfigState> RESTORED = new SharedConfigs<>();

    /**
     * Reviews of an update by the reviewed config's {@link ConfigState#sha256}, the guard and the
     * update's hash.
     */
    static final SharedConfigs<ReviewedUpdate> UPDATED = new SharedConfigs<>();

    /** Guarded by itself; an entry's load is guarded by the entry, so it blocks no other key. */
    private final Map<String, Entry<V>> entries = new HashMap<>();

    /** Builds the value of a key; called once per key while any lease on it is held. */
    @FunctionalInterface
    interface Loader<V> {
        V load() throws Exception;
    }

    /** One holder's use of a shared value. */
    static final class Lease<V> {
        private final SharedConfigs<V> owner;
        private final Entry<V> entry;
        private final V value;
        private boolean released;

        private Lease(SharedConfigs<V> owner, Entry<V> entry, V value) {
            this.owner = owner;
            this.entry = entry;
            this.value = value;
        }

        V value() {
            return value;
        }

        /** Returns the lease; the value stays usable by whoever still references it. */
        void release() {
            if (!released) {
                released = true;
                owner.release(entry);
            }
        }
    }

    /**
     * The value of {@code key}: the one already built in this JVM, or {@code loader}'s. Concurrent
     * first callers wait for one load. A failed load is not kept: the next caller tries again.
     */
    Lease<V> acquire(String key, Loader<V> loader) throws Exception {
        Entry<V> entry;
        synchronized (entries) {
            entry = entries.computeIfAbsent(key, Entry::new);
            entry.leases++;
        }
        try {
            return new Lease<>(this, entry, entry.get(loader));
        } catch (Exception | Error e) {
            release(entry);
            throw e;
        }
    }

    /** How many values this JVM holds; for tests. */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void release(Entry<V> entry) {
        synchronized (entries) {
            if (--entry.leases == 0) {
                entries.remove(entry.key, entry);
            }
        }
    }

    private static final class Entry<V> {
        private final String key;

        /** Guarded by the owner's entries. */
        private int leases;

        /** Guarded by this entry. */
        private V value;

        private Entry(String key) {
            this.key = key;
        }

        private synchronized V get(Loader<V> loader) throws Exception {
            if (value == null) {
                value = loader.load();
            }
            return value;
        }
    }
}
