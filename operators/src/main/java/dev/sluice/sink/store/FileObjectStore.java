package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code file://} destinations for local use, with the same two phases as S3: bytes are written and
 * synced under a hidden in-progress name, and the commit renames them atomically. A key is the
 * absolute path {@code /key}. Local files keep no content type or user metadata; the manifest has
 * them.
 */
public final class FileObjectStore implements ObjectStore {

    private static final String IN_PROGRESS = ".inprogress.";

    @Override
    public StagedObject begin(
            Destination d, String key, String contentType, Map<String, String> metadata)
            throws IOException {
        return new FileStagedObject(tempFor(pathOf(key)));
    }

    /** As {@link #write}: synced, then renamed, so a reader never sees half of it. */
    @Override
    public void put(
            Destination d,
            String key,
            byte[] body,
            String contentType,
            Map<String, String> metadata)
            throws IOException {
        write(d, key, new ByteArrayInputStream(body), body.length, contentType, metadata);
    }

    /**
     * Written and synced under a hidden in-progress name, then renamed over {@code key}: a reader
     * never sees half of it, and a crash after the write never leaves an empty file behind.
     */
    @Override
    public void write(
            Destination d,
            String key,
            InputStream body,
            long length,
            String contentType,
            Map<String, String> metadata)
            throws IOException {
        Path target = pathOf(key);
        Path temp = tempFor(target);
        StagedObject staged = new FileStagedObject(temp);
        try {
            ExactBody.copy(body, length, staged, target.toString());
            staged.finish();
            Files.move(
                    temp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            staged.abort();
            throw e;
        }
    }

    @Override
    public CommitOutcome commit(Destination d, ObjectCommittable c) throws IOException {
        if (c.isWhole()) {
            putWhole(d, c);
            return CommitOutcome.COMMITTED;
        }
        Path target = pathOf(c.key());
        Path temp = target.resolveSibling(c.uploadId());
        CommitOutcome outcome = CommitOutcome.COMMITTED;
        if (Files.exists(temp)) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } else if (Files.exists(target)) {
            outcome = CommitOutcome.ALREADY_COMMITTED;
        } else {
            throw new IntegrityException(target + " is missing and its staged file is gone");
        }
        long actual = Files.size(target);
        if (actual != c.length()) {
            throw new IntegrityException(
                    target + " has " + actual + " bytes; " + c.length() + " were staged");
        }
        return outcome;
    }

    @Override
    public int abortStale(Destination d, long jobId, long fromSeq) throws IOException {
        Path root = pathOf(ObjectKeys.listingPrefix(d));
        Path dir = Files.isDirectory(root) ? root : root.getParent();
        List<Path> stale = walk(dir, p -> isStale(p, jobId, fromSeq));
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
        return stale.size();
    }

    private static boolean isStale(Path p, long jobId, long fromSeq) {
        String name = p.getFileName().toString();
        int marker = name.indexOf(IN_PROGRESS);
        if (!name.startsWith(".") || marker < 0) {
            return false;
        }
        OptionalLong seq = ObjectKeys.sequenceOf(name.substring(1, marker), jobId);
        return seq.isPresent() && seq.getAsLong() >= fromSeq;
    }

    /** Hidden files are in-progress writes, never objects. */
    @Override
    public List<ListedObject> list(Destination d, String prefix) throws IOException {
        List<ListedObject> listed = new ArrayList<>();
        // A prefix that ends inside a name ("logs/2024") matches names in its parent directory.
        Path dir =
                prefix.isEmpty() || prefix.endsWith("/")
                        ? pathOf(prefix)
                        : pathOf(prefix).getParent();
        for (Path p : walk(dir, p -> isObject(p) && keyOf(p).startsWith(prefix))) {
            listed.add(
                    new ListedObject(
                            keyOf(p), Files.size(p), Files.getLastModifiedTime(p).toInstant()));
        }
        return listed;
    }

    private static boolean isObject(Path p) {
        return Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".");
    }

    @Override
    public Optional<ObjectHead> head(Destination d, String key) throws IOException {
        Path p = pathOf(key);
        try {
            if (!Files.isRegularFile(p)) {
                return Optional.empty();
            }
            return Optional.of(new ObjectHead(Files.size(p), Optional.empty(), Map.of()));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted between the two looks
        }
    }

    @Override
    public InputStream read(Destination d, String key) throws IOException {
        return Files.newInputStream(pathOf(key));
    }

    @Override
    public void delete(Destination d, String key) throws IOException {
        Files.deleteIfExists(pathOf(key));
    }

    @Override
    public boolean keepsMetadata() {
        return false;
    }

    @Override
    public String location(Destination d, String key) {
        return pathOf(key).toString();
    }

    /** The paths under {@code dir} that {@code keep}; none if there is no such directory. */
    private static List<Path> walk(Path dir, Predicate<Path> keep) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(keep).collect(Collectors.toList());
        }
    }

    /** A hidden in-progress name beside {@code target}, its directories created. */
    private static Path tempFor(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return target.resolveSibling("." + target.getFileName() + IN_PROGRESS + UUID.randomUUID());
    }

    private static Path pathOf(String key) {
        return Path.of("/" + key);
    }

    private static String keyOf(Path p) {
        return p.toString().substring(1);
    }

    @Override
    public void close() {}
}
