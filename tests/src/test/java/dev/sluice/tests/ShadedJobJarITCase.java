package dev.sluice.tests;

import dev.sluice.jobs.SluiceJobCommand;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job jar a cluster receives: Sluice and its libraries, no second copy of Flink (which would
 * shadow the cluster's own classes and break on any version mismatch), and the libraries that
 * Flink's or Hadoop's classpath may hold in other versions moved under {@code dev.sluice.shaded}.
 * Runs after {@code package}, when the jar exists.
 */
class ShadedJobJarITCase {

    private static List<String> entries;
    private static String mainClass;

    @BeforeAll
    static void readJar() throws IOException {
        try (JarFile jar = new JarFile(RepositoryPaths.jobJar().toFile())) {
            entries =
                    Collections.list(jar.entries()).stream()
                            .map(e -> e.getName())
                            .filter(n -> n.endsWith(".class"))
                            .collect(Collectors.toList());
            mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
        }
    }

    @Test
    void startsTheJobByDefault() {
        assertThat(mainClass).isEqualTo(SluiceJobCommand.class.getName());
        assertThat(entries).contains("dev/sluice/jobs/SluiceJobCommand.class");
    }

    /**
     * Operations commands run from bin/sluice (tools, savepoints, local); a cluster runs the job.
     */
    @Test
    void holdsTheJobAndNoOperationsCommand() {
        assertThat(entries)
                .filteredOn(
                        n ->
                                n.startsWith("dev/sluice/")
                                        && !n.startsWith("dev/sluice/shaded/")
                                        && n.endsWith("Command.class"))
                .containsExactly("dev/sluice/jobs/SluiceJobCommand.class");
        assertThat(entries)
                .noneMatch(
                        n ->
                                n.startsWith("dev/sluice/tools/")
                                        || n.startsWith("dev/sluice/local/")
                                        || n.startsWith("dev/sluice/chaos/")
                                        || n.startsWith("dev/sluice/bench/")
                                        || n.startsWith("dev/sluice/savepoints/"));
    }

    @Test
    void holdsNoFlinkButTheConnectorsAFlinkDistributionLacks() {
        assertThat(entries)
                .filteredOn(n -> n.startsWith("org/apache/flink/"))
                .isNotEmpty()
                .allSatisfy(
                        n ->
                                assertThat(n)
                                        .matches(
                                                "org/apache/flink/(connector/kafka|streaming/connectors/kafka"
                                                    + "|streaming/util/serialization|formats/avro)/.*"));
        assertThat(entries)
                .noneMatch(n -> n.startsWith("org/slf4j/"))
                .noneMatch(n -> n.startsWith("org/apache/logging/log4j/"))
                .noneMatch(n -> n.startsWith("io/netty/"));
    }

    /**
     * Against the lib/ the cluster tests run on: no class is in both, but for the compression
     * libraries whose JNI bindings forbid relocation (the job's copy loads child-first).
     */
    @Test
    void sharesNoClassWithTheClusterRuntime() throws IOException {
        Set<String> runtime = new HashSet<>();
        try (var jars = Files.list(RepositoryPaths.flinkLib())) {
            for (Path lib : jars.toList()) {
                try (JarFile jar = new JarFile(lib.toFile())) {
                    Collections.list(jar.entries()).stream()
                            .map(e -> e.getName())
                            .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                            .forEach(runtime::add);
                }
            }
        }
        assertThat(entries)
                .filteredOn(runtime::contains)
                .allMatch(n -> n.startsWith("net/jpountz/") || n.startsWith("org/xerial/snappy/"));
    }

    @Test
    void relocatesLibrariesThatClusterClasspathsCarry() {
        for (String library :
                List.of(
                        "com/fasterxml/jackson/",
                        "org/apache/avro/",
                        "org/apache/http/",
                        "org/apache/commons/lang3/",
                        "org/apache/commons/codec/",
                        "picocli/")) {
            assertThat(entries).as(library).noneMatch(n -> n.startsWith(library));
            assertThat(entries)
                    .as(library + " relocated")
                    .anyMatch(n -> n.startsWith("dev/sluice/shaded/" + library));
        }
    }

    @Test
    void keepsNativeLibrariesWhereTheirJniNamesPointTo() {
        assertThat(entries)
                .contains("com/github/luben/zstd/Zstd.class")
                .contains("org/xerial/snappy/Snappy.class");
    }
}
