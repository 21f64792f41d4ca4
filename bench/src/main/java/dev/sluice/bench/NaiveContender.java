package dev.sluice.bench;

import dev.sluice.local.FileTrees;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.Path;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Naive: {@link NaiveJob} over the same topic, bounded, checkpoints on, part files committed by the
 * final checkpoint; timed like Sluice, from the first record to the job's end. Two outputs:
 *
 * <ul>
 *   <li>{@link #toS3}, the like-for-like one: {@code FileSink} to {@code
 *       s3://bench-naive/naive-<run>/} on the same S3 server as Sluice, through Flink's own S3 file
 *       system ({@link FlinkS3});
 *   <li>{@link #toFiles}, a reference: {@code FileSink} to local files, no store round trips.
 * </ul>
 *
 * Each run reads what it wrote back (through the S3 API, or from the files) and fails unless it
 * holds one line per input record.
 */
final class NaiveContender {

    static final String S3_NAME = "naive";
    static final String FILES_NAME = "naive-files";

    static final String S3_DESCRIPTION =
            "KafkaSource -> map to NDJSON (Jackson) -> FileSink to s3:// on the same S3 server"
                    + " (flink-s3-fs-hadoop: Hadoop S3A), a bucket per customer, default rolling"
                    + " policy, no compression";
    static final String FILES_DESCRIPTION =
            "KafkaSource -> map to NDJSON (Jackson) -> FileSink, local files, a bucket per"
                    + " customer, default rolling policy, no compression";

    /** The S3 bucket the naive job writes into, a prefix {@code naive-<run>/} per run. */
    static final String BUCKET = "bench-naive";

    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final BenchServers servers;
    private final BenchInput input;
    private final String topic;
    private final boolean s3;

    private NaiveContender(BenchServers servers, BenchInput input, String topic, boolean s3) {
        this.servers = servers;
        this.input = input;
        this.topic = topic;
        this.s3 = s3;
    }

    /**
     * The naive job writing to the bench's S3 server. Registers Flink's S3 file system from {@code
     * pluginsDir} for this JVM; {@link FlinkS3#reset} undoes it.
     */
    static NaiveContender toS3(
            BenchServers servers, BenchInput input, String topic, java.nio.file.Path pluginsDir)
            throws IOException {
        FlinkS3.initialize(s3Conf(servers), pluginsDir);
        servers.s3.createBucket(BUCKET);
        return new NaiveContender(servers, input, topic, true);
    }

    /** The naive job writing local files under the bench's working directory. */
    static NaiveContender toFiles(BenchServers servers, BenchInput input, String topic) {
        return new NaiveContender(servers, input, topic, false);
    }

    String name() {
        return s3 ? S3_NAME : FILES_NAME;
    }

    String description() {
        return s3 ? S3_DESCRIPTION : FILES_DESCRIPTION;
    }

    RunFigures run(String round) throws Exception {
        String name = "bench-" + name() + "-" + round;
        String prefix = "naive-" + round;
        java.nio.file.Path dir = servers.dir.resolve(name);
        Path output =
                s3 ? new Path("s3://" + BUCKET + "/" + prefix) : new Path(dir.toUri().toString());
        Configuration conf = servers.flinkConf(name);
        if (s3) {
            // Flink's file systems are set up JVM-wide (FlinkS3.initialize); the cluster gets the
            // same settings so that nothing in it sees other ones.
            conf.addAll(s3Conf(servers));
        }
        String bootstrap = servers.kafka.bootstrapServers();
        try (BenchCluster cluster = BenchCluster.start(conf)) {
            ResourceMeter.collectGarbage();
            JobID job =
                    cluster.submit(
                            name, env -> NaiveJob.define(env, bootstrap, topic, name, output));
            cluster.awaitAllRunning(job, Duration.ofMinutes(1));
            ResourceMeter meter = ResourceMeter.start();
            cluster.awaitResult(job, TIMEOUT);
            ResourceMeter.Usage usage = meter.stop();
            Output written = s3 ? objects(servers.s3Client, prefix) : files(dir);
            // Counted: what the run wrote goes, so the next run starts as this one did.
            if (s3) {
                servers.removeObjects(BUCKET, prefix);
            } else {
                FileTrees.deleteTree(dir);
            }
            if (written.lines != input.size()) {
                throw new IllegalStateException(
                        name
                                + " wrote "
                                + written.lines
                                + " lines for "
                                + input.size()
                                + " records");
            }
            return RunFigures.of(
                    input.size(),
                    BenchCluster.runSeconds(cluster.archived(job)),
                    usage,
                    written.files,
                    written.bytes);
        }
    }

    /** The S3 settings, with the S3 writer's local part buffers under the working directory. */
    private static Configuration s3Conf(BenchServers servers) throws IOException {
        java.nio.file.Path tmp = Files.createDirectories(servers.dir.resolve("naive-s3-tmp"));
        Configuration conf = Configuration.fromMap(FlinkS3.settings(servers.s3));
        conf.set(CoreOptions.TMP_DIRS, tmp.toString());
        return conf;
    }

    private record Output(long files, long bytes, long lines) {}

    /**
     * The committed part files under {@code prefix}, read back through the S3 API. Skipped, should
     * any be left: the S3 writer's {@code _<part>_tmp_<uuid>} objects (a part file's tail persisted
     * at a checkpoint, which the committed file repeats) and S3Proxy's multipart-upload artifacts.
     */
    private static Output objects(S3Client client, String prefix) throws IOException {
        long files = 0;
        long bytes = 0;
        long lines = 0;
        for (S3Object o :
                client.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix + "/"))
                        .contents()) {
            String fileName = o.key().substring(o.key().lastIndexOf('/') + 1);
            if (!fileName.startsWith("part-") || o.key().contains(".mpus-")) {
                continue;
            }
            files++;
            bytes += o.size();
            try (InputStream in = client.getObject(r -> r.bucket(BUCKET).key(o.key()))) {
                lines += newlines(in);
            }
        }
        return new Output(files, bytes, lines);
    }

    /**
     * Committed part files (in-progress and pending ones are hidden: their names start with '.').
     */
    private static Output files(java.nio.file.Path dir) throws IOException {
        long files = 0;
        long bytes = 0;
        long lines = 0;
        try (Stream<java.nio.file.Path> paths = Files.walk(dir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) paths::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                    files++;
                    bytes += Files.size(f);
                    try (InputStream in = Files.newInputStream(f)) {
                        lines += newlines(in);
                    }
                }
            }
        }
        return new Output(files, bytes, lines);
    }

    /**
     * NDJSON lines: the naive job's objects are uncompressed, one '\n'-terminated line a record.
     */
    private static long newlines(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    count++;
                }
            }
        }
        return count;
    }
}
