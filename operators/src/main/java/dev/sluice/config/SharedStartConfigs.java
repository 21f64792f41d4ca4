package dev.sluice.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The parsed start configs of the jobs running in this JVM, one per content hash, so a TaskManager
 * parses a start config once rather than once per subtask (a million jobs parse into gigabytes).
 *
 * <p>Counted, not cached: each holder takes a {@link Lease} when its operator opens and returns it
 * when the operator closes (Flink closes an operator also when it fails or is cancelled). The last
 * return drops the entry, so a cancelled job's config can be collected, and a job restarted after
 * that reads its file again. Only {@link ParsedStartConfig}, which is immutable, is shared.
 */
final class SharedStartConfigs {

    /** Guarded by itself; an entry's parse is guarded by the entry, so it blocks no other hash. */
    private static final Map<String, Entry> ENTRIES = new HashMap<>();

    private SharedStartConfigs() {}

    /** Parses a start config; called once per hash while any lease on it is held. */
    @FunctionalInterface
    interface Loader {
        ParsedStartConfig load() throws Exception;
    }

    /** One holder's use of a shared start config. */
    static final class Lease {
        private final Entry entry;
        private final ParsedStartConfig config;
        private boolean released;

        private Lease(Entry entry, ParsedStartConfig config) {
            this.entry = entry;
            this.config = config;
        }

        ParsedStartConfig config() {
            return config;
        }

        /** Returns the lease; the config stays usable by whoever still references it. */
        void release() {
            if (!released) {
                released = true;
                SharedStartConfigs.release(entry);
            }
        }
    }

    /**
     * The start config with this hash: the one already parsed in this JVM, or {@code loader}'s.
     * Concurrent first callers wait for one parse. A failed parse is not kept: the next caller
     * tries again.
     */
    static Lease acquire(String sha256, Loader loader) throws Exception {
        Entry entry;
        synchronized (ENTRIES) {
            entry = ENTRIES.computeIfAbsent(sha256, Entry::new);
            entry.leases++;
        }
        try {
            return new Lease(entry, entry.get(loader));
        } catch (Exception | Error e) {
            release(entry);
            throw e;
        }
    }

    /** How many start configs this JVM holds; for tests. */
    static int size() {
        synchronized (ENTRIES) {
            return ENTRIES.size();
        }
    }

    private static void release(Entry entry) {
        synchronized (ENTRIES) {
            if (--entry.leases == 0) {
                ENTRIES.remove(entry.sha256, entry);
            }
        }
    }

    private static final class Entry {
        private final String sha256;

        /** Guarded by {@link #ENTRIES}. */
        private int leases;

        /** Guarded by this entry. */
        private ParsedStartConfig config;

        private Entry(String sha256) {
            this.sha256 = sha256;
        }

        private synchronized ParsedStartConfig get(Loader loader) throws Exception {
            if (config == null) {
                config = loader.load();
            }
            return config;
        }
    }
}
