package dev.sluice.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Searches the files a run left for secrets, byte for byte: Kafka's logs, state files, JSON. */
final class SecretScan {

    private SecretScan() {}

    /**
     * Files under {@code root}, apart from those under {@code skipped} (the object store, whose
     * objects are the customers' data), holding any of {@code secrets}; relative to {@code root}.
     */
    static List<Path> filesHolding(Path root, Path skipped, String... secrets) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(
                root,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(
                            Path dir, BasicFileAttributes attributes) {
                        return dir.startsWith(skipped)
                                ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (attributes.isRegularFile() && holdsAny(file, secrets)) {
                            found.add(root.relativize(file));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    /** A file or directory Kafka or Flink removed meanwhile (a checkpoint). */
                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
        return found;
    }

    private static boolean holdsAny(Path file, String... secrets) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return false; // removed meanwhile
        }
        for (String secret : secrets) {
            if (indexOf(bytes, secret.getBytes(StandardCharsets.UTF_8)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Waits until a checkpoint's {@code _metadata} is under {@code checkpoints}. */
    static void awaitCheckpoint(Path checkpoints) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!hasCheckpoint(checkpoints)) {
            assertThat(System.currentTimeMillis()).as("a checkpoint on disk").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static boolean hasCheckpoint(Path root) throws IOException {
        if (!Files.exists(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("_metadata"));
        } catch (java.io.UncheckedIOException e) {
            return false; // a directory Flink removed meanwhile
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
