package dev.sluice.jobs;

import dev.sluice.config.GuardSettings;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.StartConfig;
import dev.sluice.config.StartConfigReader;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A validated start config file and the SHA-256 of its bytes. The job ships the file to its tasks
 * through Flink's distributed cache ({@link #register}) instead of inside the serialized functions:
 * a local file is uploaded to the BlobServer at submission, also when the job's main runs in the
 * JobManager, and each TaskManager fetches it once. The job graph carries the entry's name and the
 * hash only.
 */
public final class StartConfigFile {

    private final Path path;
    private final String sha256;

    /**
     * Why {@code sluice.config.inline-credentials: reject} refuses the file; null if it does not.
     */
    private final String inlineCredentialsRefusal;

    private StartConfigFile(Path path, StartConfigReader.Checked checked) {
        this.path = path.toAbsolutePath();
        this.sha256 = checked.sha256();
        this.inlineCredentialsRefusal = checked.inlineCredentialsRefusal().orElse(null);
    }

    /**
     * Reads and validates a start config file as a stream, never as a whole String, and takes the
     * hash of the bytes validated: a task refuses the file if it has changed since.
     */
    public static StartConfigFile read(Path file) throws InvalidConfigException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new StartConfigFile(file, StartConfigReader.check(in));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "config file does not exist");
        }
    }

    /**
     * Validates a start config given as a String (local runs, tests, benchmarks) and writes it to a
     * file of this submission, deleted when this JVM exits: the cluster may read it until the job
     * is submitted, and it is no longer needed after.
     */
    public static StartConfigFile write(String json) throws InvalidConfigException, IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        StartConfigReader.Checked checked =
                StartConfigReader.check(new ByteArrayInputStream(bytes));
        Path file = Files.createTempFile("sluice-start-config-", ".json");
        file.toFile().deleteOnExit();
        Files.write(file, bytes);
        return new StartConfigFile(file, checked);
    }

    /**
     * Why the job refuses this start config under {@code guard}, if it does: a job written with its
     * keys inline under {@code sluice.config.inline-credentials: reject}, the same rule and reason
     * as for a config update.
     */
    public Optional<String> refusal(GuardSettings guard) {
        return guard.rejectInlineCredentials()
                ? Optional.ofNullable(inlineCredentialsRefusal).map(r -> "the start config " + r)
                : Optional.empty();
    }

    public Path path() {
        return path;
    }

    /** Lowercase hex SHA-256 of the file's bytes as validated. */
    public String sha256() {
        return sha256;
    }

    /**
     * Registers the file with the job's distributed cache and returns what the operators find it
     * by. The entry is named after the hash, so registering the same config again is harmless.
     */
    public StartConfig register(StreamExecutionEnvironment env) {
        StartConfig start = StartConfig.cachedFile(sha256);
        env.registerCachedFile(path.toUri().toString(), ((StartConfig.CachedFile) start).name());
        return start;
    }

    @Override
    public String toString() {
        return path + " (SHA-256 " + sha256 + ")";
    }
}
