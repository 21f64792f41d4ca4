package dev.sluice.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The local run's S3 keys as a named credential, {@value #NAME}: the files {@code
 * local/access-key-id} and {@code local/secret-access-key} in a credentials directory outside the
 * data directory, as a cluster mounts a Secret. Its destinations name the credential ({@code
 * credentials=local}), so the config file, Kafka's logs, checkpoints and savepoints hold no secret.
 * The job's TaskManagers run in this JVM: they find the directory through the system property the
 * sink reads ({@code sluice.credentials.dir}), set for the run and restored after it. A directory
 * this class created (none was given) is deleted after the run.
 */
final class LocalCredentials implements AutoCloseable {

    /** The credential's name, as destinations give it ({@code credentials=local}). */
    static final String NAME = "local";

    /** The property the sink reads the credentials directory from (CredentialDirectory). */
    static final String PROPERTY = "sluice.credentials.dir";

    private final Path dir;
    private final boolean created;
    private final String previous;

    private LocalCredentials(Path dir, boolean created) {
        this.dir = dir;
        this.created = created;
        this.previous = System.setProperty(PROPERTY, dir.toString());
    }

    /**
     * Writes the keys under {@code given}, or a new temporary directory when it is null.
     *
     * @throws IllegalArgumentException when {@code given} is inside {@code dataDir}: the data
     *     directory is to hold no secret
     */
    static LocalCredentials write(Path given, Path dataDir, String keyId, String secret)
            throws IOException {
        if (given != null && inside(given, dataDir)) {
            throw new IllegalArgumentException(
                    "--credentials-dir "
                            + given
                            + " is inside --data-dir "
                            + dataDir
                            + ", which is to hold no secret; choose a directory outside it");
        }
        Path dir =
                given != null
                        ? Files.createDirectories(given.toAbsolutePath())
                        : Files.createTempDirectory("sluice-credentials-");
        Path named = Files.createDirectories(dir.resolve(NAME));
        writeOwnerOnly(named.resolve("access-key-id"), keyId);
        writeOwnerOnly(named.resolve("secret-access-key"), secret);
        return new LocalCredentials(dir, given == null);
    }

    private static boolean inside(Path dir, Path dataDir) {
        return dir.toAbsolutePath().normalize().startsWith(dataDir.toAbsolutePath().normalize());
    }

    private static void writeOwnerOnly(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.UTF_8);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** The credentials directory (its {@value #NAME} holds the files). */
    Path dir() {
        return dir;
    }

    /** Points the property back where it was; deletes the directory if this class made it. */
    @Override
    public void close() throws IOException {
        if (previous == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, previous);
        }
        if (created) {
            FileTrees.deleteTree(dir);
        }
    }
}
