package dev.sluice.bench;

import dev.sluice.local.EmbeddedS3;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginDescriptor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flink's own S3 file system ({@code flink-s3-fs-hadoop}: {@code s3://} through Hadoop S3A and AWS
 * SDK v1) set up against the bench's S3 server, for the naive contender's {@code FileSink}.
 *
 * <p>It is loaded the way a Flink distribution loads it: as a plugin, from a {@code plugins/}
 * folder with one sub-folder per plugin, in a class loader of its own. The jar bundles Guava 27,
 * Jackson, commons-*, joda-time, woodstox, httpclient and the AWS SDK v1 without relocating them;
 * on the classpath they would clash with the versions S3Proxy, Kafka and the job load. The build
 * copies it to {@code bench/target/plugins/s3-fs-hadoop/}.
 *
 * <p>Flink's file systems are JVM-wide: {@link #initialize} replaces the factories and their
 * settings for everything in this JVM (the MiniClusters run in it), {@link #reset} puts the
 * defaults back.
 */
final class FlinkS3 {

    /** The plugin folder's name under the plugins directory, as in a Flink distribution. */
    static final String PLUGIN = "s3-fs-hadoop";

    private static final String SDK_V1_NOTICE = "aws.java.v1.disableDeprecationAnnouncement";

    private FlinkS3() {}

    /**
     * What makes S3A talk to S3Proxy on 127.0.0.1: its address over plain HTTP, path-style
     * addressing (no bucket host names), the server's keys, and a fixed signing region (so S3A does
     * not look one up). Flink's S3 factory mirrors {@code s3.*} keys to Hadoop's {@code fs.s3a.*}
     * ({@code s3.access-key} to {@code fs.s3a.access.key} and so on).
     *
     * <p>And one S3Proxy needs: directory markers kept ({@code fs.s3a.directory.marker.retention}
     * {@code keep}, also the faster choice on S3). By default S3A deletes the parent "directory"
     * keys ({@code naive-1/c0001/}, {@code naive-1/}) after every file it writes; S3Proxy's file
     * backend maps such a key to the folder holding the objects and answers the delete with a 500
     * ({@code DirectoryNotEmptyException}), which S3A retries for minutes.
     *
     * <p>No checksum setting is needed: S3A 3.3.4 uses the AWS SDK v1, which sends no trailing
     * CRC32 checksums (the SDK v2 does by default, and S3Proxy 3.0.0 rejects them; Sluice's own
     * client turns them off).
     */
    static Map<String, String> settings(EmbeddedS3 s3) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("s3.endpoint", s3.endpoint().toString());
        settings.put("s3.path.style.access", "true");
        settings.put("s3.access-key", s3.accessKey());
        settings.put("s3.secret-key", s3.secretKey());
        settings.put("s3.connection.ssl.enabled", "false");
        settings.put("s3.endpoint.region", "us-east-1");
        settings.put("s3.directory.marker.retention", "keep");
        return settings;
    }

    /**
     * Registers the {@code s3://} file system from the plugins directory with {@code conf}'s {@code
     * s3.*} settings; the S3 writer buffers parts in {@code conf}'s {@code io.tmp.dirs}.
     */
    static void initialize(Configuration conf, Path pluginsDir) throws IOException {
        // The AWS SDK v1 otherwise prints its end-of-support notice with a stack trace.
        if (System.getProperty(SDK_V1_NOTICE) == null) {
            System.setProperty(SDK_V1_NOTICE, "true");
        }
        Collection<PluginDescriptor> plugins =
                new DirectoryBasedPluginFinder(pluginsDir(pluginsDir)).findPlugins();
        FileSystem.initialize(
                conf,
                new DefaultPluginManager(
                        plugins, CoreOptions.getPluginParentFirstLoaderPatterns(conf)));
    }

    /** Back to the file systems on the classpath, with default settings. */
    static void reset() {
        FileSystem.initialize(new Configuration(), null);
    }

    /**
     * The plugins directory when none is given: {@code FLINK_PLUGINS_DIR} if set, else {@code
     * plugins/} beside the jar (or classes folder) this class came from, which the build fills:
     * {@code bench/target/plugins}.
     */
    static Path defaultPluginsDir() {
        String env = System.getenv("FLINK_PLUGINS_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try {
            Path code =
                    Path.of(
                            FlinkS3.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return code.toAbsolutePath().getParent().resolve("plugins");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("plugins");
        }
    }

    private static Path pluginsDir(Path dir) {
        if (!Files.isDirectory(dir.resolve(PLUGIN))) {
            throw new IllegalStateException(
                    "Flink's S3 file system is not in "
                            + dir.resolve(PLUGIN)
                            + "; build it with ./mvnw -pl bench -am package -DskipTests, or point"
                            + " --plugins-dir at a folder holding "
                            + PLUGIN
                            + "/flink-s3-fs-hadoop-*.jar");
        }
        return dir;
    }
}
