package dev.sluice.savepoints;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A savepoint or retained checkpoint directory given on the command line, checked before Flink
 * reads it so that a wrong path gets a message saying what was expected rather than a stack trace.
 */
final class SavepointLocation {

    /** The file Flink writes last into every completed savepoint and checkpoint directory. */
    static final String METADATA = "_metadata";

    private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*");

    private final Path directory;

    private SavepointLocation(Path directory) {
        this.directory = directory;
    }

    /**
     * Resolves {@code argument}: a directory holding {@code _metadata}, or that file itself; a
     * local path, or a URI of a file system Flink knows.
     */
    static SavepointLocation resolve(String argument) throws UnusableInputException {
        Path path;
        try {
            path = toPath(argument);
        } catch (IllegalArgumentException e) {
            throw new UnusableInputException(
                    argument + " is not a valid path or URI: " + e.getMessage(), e);
        }
        try {
            FileSystem fs = path.getFileSystem();
            if (!fs.exists(path)) {
                throw new UnusableInputException(
                        argument
                                + " does not exist; expected a savepoint directory (savepoint-…) or"
                                + " a retained checkpoint (chk-N) of a Sluice job");
            }
            return new SavepointLocation(checkedDirectory(argument, fs, path));
        } catch (IOException e) {
            throw new UnusableInputException("cannot read " + argument + ": " + e.getMessage(), e);
        }
    }

    /** The directory, as the pointer Flink's savepoint loader takes. */
    String pointer() {
        return directory.toString();
    }

    private static Path checkedDirectory(String argument, FileSystem fs, Path path)
            throws IOException, UnusableInputException {
        FileStatus status = fs.getFileStatus(path);
        if (!status.isDir()) {
            if (METADATA.equals(path.getName())) {
                return path.getParent();
            }
            throw new UnusableInputException(
                    argument
                            + " is a file, not a savepoint; expected a "
                            + "directory holding "
                            + METADATA
                            + " (or that "
                            + METADATA
                            + " file)");
        }
        if (!fs.exists(new Path(path, METADATA))) {
            throw new UnusableInputException(
                    argument
                            + " is not a savepoint or checkpoint: it has no "
                            + METADATA
                            + " file"
                            + hint(fs, path));
        }
        return path;
    }

    /** Names the snapshots below {@code dir}, for a parent directory given by mistake. */
    private static String hint(FileSystem fs, Path dir) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        List<String> snapshots = new ArrayList<>();
        for (FileStatus child : children == null ? new FileStatus[0] : children) {
            if (child.isDir() && fs.exists(new Path(child.getPath(), METADATA))) {
                snapshots.add(child.getPath().getName());
            }
        }
        if (snapshots.isEmpty()) {
            return " (a completed savepoint or checkpoint always has one)";
        }
        String[] names = snapshots.toArray(new String[0]);
        Arrays.sort(names);
        return "; it contains snapshots, pass one of them: " + String.join(", ", names);
    }

    /** {@code argument} as a Flink path: a URI as given, a local path made absolute. */
    static Path toPath(String argument) {
        if (URI_SCHEME.matcher(argument).matches()) {
            return new Path(URI.create(argument));
        }
        // Absolute: Flink resolves a relative path against its own working directory notion.
        return new Path(Paths.get(argument).toAbsolutePath().normalize().toString());
    }
}
