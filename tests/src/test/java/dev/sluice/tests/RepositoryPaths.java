package dev.sluice.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build outputs of other modules that the tests use as files, not classes: what a user copies to a
 * cluster, and the Flink plugins the benchmark loads. Maven runs the tests in this module's
 * directory.
 */
final class RepositoryPaths {

    private RepositoryPaths() {}

    static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** The shaded job jar that {@code jobs} builds (classifier {@code job}). */
    static Path jobJar() {
        return existing(
                root().resolve("jobs/target/sluice-jobs-" + version() + "-job.jar"),
                "./mvnw -pl jobs -am package -DskipTests");
    }

    /** The Flink runtime jars that {@code cluster} assembles. */
    static Path flinkLib() {
        return existing(root().resolve("cluster/target/flink-lib"), "./mvnw -pl cluster package");
    }

    /**
     * The Flink plugins folder that {@code bench} fills: {@code s3-fs-hadoop/}, Flink's S3 file
     * system, which the benchmark's naive job writes through.
     */
    static Path flinkPlugins() {
        return existing(
                root().resolve("bench/target/plugins"), "./mvnw -pl bench -am package -DskipTests");
    }

    private static String version() {
        String version = System.getProperty("sluice.version");
        if (version == null) {
            throw new IllegalStateException("system property sluice.version is not set (pom.xml)");
        }
        return version;
    }

    private static Path existing(Path path, String build) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing; build it first: " + build);
        }
        return path;
    }
}
