package dev.sluice.tests;

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

    @Override
    public void close() {
        if (previous == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, previous);
        }
    }
}
