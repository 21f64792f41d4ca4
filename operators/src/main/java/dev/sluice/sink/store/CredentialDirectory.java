package dev.sluice.sink.store;

import dev.sluice.config.InlineSecrets;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The credentials a destination names with {@code credentials=NAME}: the files {@code
 * access-key-id}, {@code secret-access-key} and optionally {@code session-token} in {@code NAME/}
 * of the credentials directory, as a mounted Kubernetes Secret lays them out. Read when first
 * needed, then again whenever a file changes (looked at once a second at most), so a rotated secret
 * is used without a restart. A missing or empty file fails the request that needed it: that job's
 * batch is parked with the reason.
 */
final class CredentialDirectory implements AwsCredentialsProvider {

    /** Where the named credentials are: a JVM property, else an environment variable, else this. */
    static final String PROPERTY = "sluice.credentials.dir";

    static final String ENVIRONMENT = "SLUICE_CREDENTIALS_DIR";
    static final String DEFAULT_DIRECTORY = "/etc/sluice/credentials";

    private static final long RECHECK_MILLIS = 1_000;

    private final Path dir;
    private final LongSupplier clock;
    private long checkedAt = Long.MIN_VALUE;
    private List<FileTime> stamps;
    private AwsCredentials current;

    CredentialDirectory(Path dir, LongSupplier clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * The credential {@code name}: keys read inline with the config ({@link InlineSecrets}), or the
     * files of {@code name} in the configured credentials directory.
     */
    static AwsCredentialsProvider named(String name) {
        if (InlineSecrets.isInlineReference(name)) {
            return () -> inline(name);
        }
        return new CredentialDirectory(directory().resolve(name), System::currentTimeMillis);
    }

    private static AwsCredentials inline(String name) {
        InlineSecrets.Keys keys =
                InlineSecrets.lookup(name)
                        .orElseThrow(
                                () ->
                                        SdkClientException.create(
                                                "credential "
                                                        + name
                                                        + " was written inline in a config this"
                                                        + " TaskManager has not read since it"
                                                        + " started; publish the job again, or"
                                                        + " name a credential file"
                                                        + " (credentials=NAME)"));
        return keys.sessionToken()
                .<AwsCredentials>map(
                        t ->
                                AwsSessionCredentials.create(
                                        keys.accessKeyId(), keys.secretAccessKey(), t))
                .orElseGet(
                        () ->
                                AwsBasicCredentials.create(
                                        keys.accessKeyId(), keys.secretAccessKey()));
    }

    static Path directory() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENVIRONMENT);
        }
        return Path.of(configured == null || configured.isBlank() ? DEFAULT_DIRECTORY : configured);
    }

    @Override
    public synchronized AwsCredentials resolveCredentials() {
        long now = clock.getAsLong();
        if (current != null && now - checkedAt < RECHECK_MILLIS) {
            return current;
        }
        checkedAt = now;
        List<FileTime> seen = stamps();
        if (current == null || !Objects.equals(seen, stamps)) {
            current = read();
            stamps = seen;
        }
        return current;
    }

    private List<FileTime> stamps() {
        return List.of(stamp("access-key-id"), stamp("secret-access-key"), stamp("session-token"));
    }

    private FileTime stamp(String file) {
        try {
            return Files.getLastModifiedTime(dir.resolve(file));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private AwsCredentials read() {
        String keyId = required("access-key-id");
        String secret = required("secret-access-key");
        String token = optional("session-token");
        return token == null
                ? AwsBasicCredentials.create(keyId, secret)
                : AwsSessionCredentials.create(keyId, secret, token);
    }

    private String required(String file) {
        String value = optional(file);
        if (value == null) {
            throw SdkClientException.create(
                    "credential " + dir.getFileName() + ": " + dir.resolve(file) + " is missing");
        }
        return value;
    }

    private String optional(String file) {
        try {
            String value = Files.readString(dir.resolve(file), StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw SdkClientException.create(
                        "credential " + dir.getFileName() + ": " + dir.resolve(file) + " is empty");
            }
            return value;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw SdkClientException.create(
                    "credential "
                            + dir.getFileName()
                            + ": "
                            + dir.resolve(file)
                            + " cannot be read: "
                            + e.getMessage());
        }
    }

    /** The directory only: never the secret. */
    @Override
    public String toString() {
        return "CredentialDirectory[" + dir + "]";
    }
}
