package dev.sluice.local;

import dev.sluice.jobs.DurationConverter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/sluice local}: runs Sluice on this machine with everything embedded. See the README.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs Sluice on a local MiniCluster with an in-process Kafka broker, an S3 API server",
            "and a generator of HTTP request logs for many customers (some deliberately",
            "unconfigured). Stops with a drain and writes a summary that reconciles every job."
        })
public final class LocalCommand implements Callable<Integer> {

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "How long to run, e.g. 90s, 5m; 0 runs until Ctrl-C (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--customers",
            defaultValue = "50",
            description = "Customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--rate",
            defaultValue = "2000",
            description = "Records per second (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(
            names = "--no-generator",
            description = "Run without the built-in generator; produce your own records.")
    boolean noGenerator;

    @Option(
            names = "--max-upload-records",
            defaultValue = "0",
            description = "The sample jobs' max_upload_records, 1000-1000000 or 0 for the default.")
    long maxUploadRecords;

    @Option(
            names = "--data-dir",
            defaultValue = "sluice-data",
            description =
                    "Where Kafka, the S3 server, checkpoints and the summary live (default:"
                            + " ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--credentials-dir",
            paramLabel = "DIR",
            description =
                    "Where the run writes its S3 keys as the credential 'local'"
                        + " (local/access-key-id, local/secret-access-key), outside --data-dir,"
                        + " which holds no secret (default: a temporary directory deleted after the"
                        + " run).")
    Path credentialsDir;

    @Option(
            names = "--summary-json",
            description = "Summary file (default: DATA_DIR/summary.json).")
    Path summaryJson;

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Kafka port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--s3-port",
            defaultValue = "9000",
            description = "S3 API port (default: ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(
            names = "--web-port",
            defaultValue = "8081",
            description = "Flink web UI port (default: ${DEFAULT-VALUE}).")
    int webPort;

    @Option(
            names = "--flink-conf",
            defaultValue = "${env:SLUICE_HOME}/flink-conf/local",
            description =
                    "Directory of the config.yaml to start from (default: the repository's"
                            + " flink-conf/local).")
    Path flinkConf;

    @Option(names = "--set", description = "KEY=VALUE of a Sluice or Flink setting; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LocalRun run = new LocalRun(settings(), System.out);
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C or SIGTERM still drains and writes the summary before the JVM goes.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    run.requestStop();
                                    try {
                                        finished.await(3, TimeUnit.MINUTES);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "sluice-drain-on-exit"));
        try {
            LocalSummary summary = run.run();
            return summary.jobs().stream().allMatch(LocalSummary.Job::balances) ? 0 : 1;
        } finally {
            finished.countDown();
        }
    }

    LocalSettings settings() {
        return new LocalSettings(
                duration,
                customers,
                rate,
                !noGenerator,
                maxUploadRecords,
                dataDir,
                credentialsDir,
                summaryJson,
                kafkaPort,
                s3Port,
                webPort,
                flinkConf,
                settings);
    }
}
