package dev.sluice.local;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options {@code bin/sluice bench} and {@code bin/sluice chaos} share, as a picocli mixin. */
public final class RunOptions {

    @Option(names = "--quick", description = "The short variant: a minute or two at most.")
    public boolean quick;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report as JSON.")
    public Path report;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description =
                    "Write the report as one self-contained HTML page: the verdict table and"
                            + " charts of the recorded series.")
    public Path html;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Keep the run's Kafka log, checkpoints and the S3 server's folder here for a"
                            + " look afterwards (default: a temporary directory, deleted at the"
                            + " end). The bench deletes each run's objects once it has counted"
                            + " them, and keeps its S3 server's objects in memory unless"
                            + " --s3-storage disk.")
    public Path dataDir;
}
