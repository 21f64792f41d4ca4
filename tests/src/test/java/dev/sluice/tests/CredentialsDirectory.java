package dev.sluice.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points this JVM's sink at a credentials directory ({@code -Dsluice.credentials.dir}) for one
 * test, and back to what it was on close; the MiniCluster's TaskManagers run in this JVM.
 */
final class CredentialsDirectory implements AutoCloseable {

    private static final String PROPERTY = "sluice.credentials.dir";

    private final String previous;

    private CredentialsDirectory(Path dir) {
        this.previous = System.setProperty(PROPERTY, dir.toString());
    }

    static CredentialsDirectory use(Path dir) {
        return new CredentialsDirectory(dir);
    }

    /**
     * Writes credential {@code name} under {@code dir} as a mounted Secret holds it, a file per
     * key, and returns its folder.
     */
    static Path write(Path dir, String name, String accessKeyId, String secretAccessKey)
            throws IOException {
        Path credential = Files.createDirectories(dir.resolve(name));
        Files.writeString(credential.resolve("access-key-id"), accessKeyId);
        Files.writeString(credential.resolve("secret-access-key"), secretAccessKey);
        return credential;
    }

    @Override
    public void close() {
        if (previous == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, previous);
        }
    }
}
