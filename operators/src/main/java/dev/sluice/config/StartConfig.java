package dev.sluice.config;

import org.apache.flink.api.common.cache.DistributedCache;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Which start config a job was submitted with: what a task finds it by, and the SHA-256 of its
 * content, never the content itself. A start config of a million jobs is over 500 MB of JSON;
 * inside the serialized functions it broke the job graph's serialization and was copied into every
 * operator and every subtask. The job ships it as a file through Flink's distributed cache instead
 * ({@link CachedFile}), and each TaskManager parses it once ({@link SharedConfigs#STARTS}).
 *
 * <p>The hash is taken at submission and checked when a task reads the file, so a task never runs
 * on another config than the one that was validated and submitted.
 */
public sealed interface StartConfig extends Serializable
        permits StartConfig.CachedFile, StartConfig.Inline {

    /** Lowercase hex SHA-256 of the config's bytes as submitted. */
    String sha256();

    /** Opens the config's bytes in a task; {@code files} is the task's distributed cache. */
    InputStream open(DistributedCache files) throws IOException;

    /** The distributed-cache entry name of the start config with this hash. */
    static String cacheEntryName(String sha256) {
        return "sluice-start-config-" + sha256;
    }

    /** A start config registered in the job's distributed cache as {@link #cacheEntryName}. */
    static CachedFile cachedFile(String sha256) {
        return new CachedFile(cacheEntryName(sha256), sha256);
    }

    /**
     * A start config held in the function itself, for operators run in place (test harnesses,
     * benchmarks), which have no distributed cache. A job must not use it: the JSON would be
     * serialized into the job graph, once per operator.
     */
    static StartConfig inline(String json) {
        return new Inline(json, StartConfigReader.sha256(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A file the job registered with its distributed cache. */
    record CachedFile(String name, String sha256) implements StartConfig {
        @Override
        public InputStream open(DistributedCache files) throws IOException {
            // Waits until the TaskManager has the file from the BlobServer; an unknown name fails.
            File file = files.getFile(name);
            return Files.newInputStream(file.toPath());
        }

        @Override
        public String toString() {
            return "start config '" + name + "'";
        }
    }

    /** See {@link #inline}. */
    record Inline(String json, String sha256) implements StartConfig {
        @Override
        public InputStream open(DistributedCache files) {
            return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "inline start config (SHA-256 " + sha256 + ")";
        }
    }
}
