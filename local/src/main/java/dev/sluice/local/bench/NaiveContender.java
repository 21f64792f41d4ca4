package dev.sluice.local.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Naive: {@link NaiveJob} over the same topic, bounded, checkpoints on, files committed by the
 * final checkpoint; timed like Sluice, from the first record to the job's end.
 */
final class NaiveContender {

    static final String DESCRIPTION =
            "KafkaSource -> map to NDJSON (Jackson) -> FileSink, local files, a bucket per"
                    + " customer, default rolling policy, no compression";

    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final BenchServers servers;
    private final BenchInput input;
    private final String topic;

    NaiveContender(BenchServers servers, BenchInput input, String topic) {
        this.servers = servers;
        this.input = input;
        this.topic = topic;
    }

    RunFigures run(int index) throws Exception {
        String name = "bench-naive-" + index;
        Path output = servers.dir.resolve(name);
        Configuration conf = servers.flinkConf(name);
        String bootstrap = servers.kafka.bootstrapServers();
        try (BenchCluster cluster = BenchCluster.start(conf)) {
            JobID job =
                    cluster.submit(
                            name, env -> NaiveJob.define(env, bootstrap, topic, name, output));
            cluster.awaitAllRunning(job, Duration.ofMinutes(1));
            ResourceMeter meter = ResourceMeter.start();
            cluster.awaitResult(job, TIMEOUT);
            ResourceMeter.Usage usage = meter.stop();
            long[] files = committedFiles(output);
            return RunFigures.of(
                    input.size(),
                    BenchCluster.runSeconds(cluster.archived(job)),
                    usage,
                    files[0],
                    files[1]);
        }
    }

    /** Committed part files (in-progress and pending ones are hidden) and their bytes. */
    private static long[] committedFiles(Path dir) throws IOException {
        long[] countAndBytes = new long[2];
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                    countAndBytes[0]++;
                    countAndBytes[1] += Files.size(f);
                }
            }
        }
        return countAndBytes;
    }
}
