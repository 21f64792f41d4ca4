package dev.sluice.sink.store;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code file://} destinations for local use, with the same two phases as S3: bytes are written and
 * synced under a hidden in-progress name, and the commit renames them atomically.
 */
public final class FileObjectStore implements ObjectStore {

    private static final String IN_PROGRESS = ".inprogress.";

    /** Local files carry no user metadata; the manifest has it. */
    @Override
    public StagedObject begin(
            Destination d, String key, String contentType, Map<String, String> metadata)
            throws IOException {
        Path target = pathOf(key);
        Files.createDirectories(target.getParent());
        String tempName = "." + target.getFileName() + IN_PROGRESS + UUID.randomUUID();
        return new FileStagedObject(target.resolveSibling(tempName));
    }

    /**
     * Written under a temp name and renamed, so a reader never sees half of it. Local files carry
     * no user metadata; the manifest has it.
     */
    @Override
    public void put(
            Destination d,
            String key,
            byte[] body,
            String contentType,
            Map<String, String> metadata)
            throws IOException {
        Path target = pathOf(key);
        Files.createDirectories(target.getParent());
        Path temp =
                target.resolveSibling("." + target.getFileName() + IN_PROGRESS + UUID.randomUUID());
        Files.write(temp, body);
        Files.move(
                temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> stale;
        try (Stream<Path> files = Files.walk(dir)) {
            stale = files.filter(p -> isStale(p, jobId, fromSeq)).collect(Collectors.toList());
        }
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

    private static Path pathOf(String key) {
        return Path.of("/" + key);
    }

    @Override
    public void close() {}
}
