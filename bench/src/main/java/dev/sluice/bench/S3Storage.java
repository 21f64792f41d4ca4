package dev.sluice.bench;

import dev.sluice.local.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Optional;

/**
 * Where the bench's S3 server keeps its objects: in memory (a tmpfs folder) when the machine has
 * one, else on the working directory's disk.
 *
 * <p>The server stands in for a remote store, whose disk is not the pipeline's cost. On this
 * bench's disk it was: S3Proxy writes every object as a temp file, an extended attribute per header
 * and metadata entry (about fifteen for a Sluice object with its ledger), and a rename, and
 * measured alone, 2,000 puts of 25 KB took half of the server's CPU in the kernel and 40% more CPU
 * (client and server) than the same puts to tmpfs. The memory is the kernel's, not the JVM's heap,
 * so the naive job's half gigabyte a run does not reach the contenders' collector.
 *
 * <p>A folder is only used when it keeps user extended attributes (tmpfs does from Linux 6.6):
 * S3Proxy stores an object's content type and metadata there and silently drops them where it
 * cannot.
 */
final class S3Storage implements AutoCloseable {

    /** The medium: where the objects are. */
    enum Medium {
        memory,
        disk
    }

    private static final Path SHARED_MEMORY = Path.of("/dev/shm");
    private static final String PROBE_ATTRIBUTE = "sluice-bench-probe";

    private final Path dir;
    private final Medium medium;

    private S3Storage(Path dir, Medium medium) {
        this.dir = dir;
        this.medium = medium;
    }

    /**
     * The server's folder for {@code wanted}: memory falls back to {@code workDir}'s disk when the
     * machine has no tmpfs folder that keeps extended attributes.
     */
    static S3Storage choose(Medium wanted, Path workDir) {
        if (wanted == Medium.memory) {
            Optional<Path> inMemory = memoryFolder(SHARED_MEMORY);
            if (inMemory.isPresent()) {
                return new S3Storage(inMemory.get(), Medium.memory);
            }
        }
        return new S3Storage(workDir.resolve("s3"), Medium.disk);
    }

    /** A new folder under {@code root}, if it can be made and keeps user extended attributes. */
    static Optional<Path> memoryFolder(Path root) {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            return Optional.empty();
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(root, "sluice-bench-s3-");
        } catch (IOException e) {
            return Optional.empty();
        }
        if (keepsAttributes(dir)) {
            return Optional.of(dir);
        }
        deleteQuietly(dir);
        return Optional.empty();
    }

    private static boolean keepsAttributes(Path dir) {
        Path probe = dir.resolve("probe");
        try {
            Files.createFile(probe);
            UserDefinedFileAttributeView view =
                    Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
            if (view == null) {
                return false;
            }
            byte[] value = "1".getBytes(StandardCharsets.US_ASCII);
            view.write(PROBE_ATTRIBUTE, ByteBuffer.wrap(value));
            return view.size(PROBE_ATTRIBUTE) == value.length;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // The folder goes with it.
            }
        }
    }

    Path dir() {
        return dir;
    }

    Medium medium() {
        return medium;
    }

    /** Deletes a folder in memory (it would hold memory until the next boot); the disk's stays. */
    @Override
    public void close() {
        if (medium == Medium.memory) {
            try {
                FileTrees.deleteTree(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("deleting the S3 server's folder " + dir, e);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.deleteTree(dir);
        } catch (IOException ignored) {
            // An empty folder left in tmpfs costs nothing worth failing for.
        }
    }
}
