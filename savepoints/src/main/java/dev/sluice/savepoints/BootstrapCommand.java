package dev.sluice.savepoints;

import dev.sluice.config.ConfigParser;
import dev.sluice.config.ConfigSnapshot;
import dev.sluice.config.InvalidConfigException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code bin/sluice savepoint bootstrap --config FILE --out PATH}: a savepoint holding a config.
 */
@Command(
        name = "bootstrap",
        mixinStandardHelpOptions = true,
        header = "Writes a new savepoint holding a delivery config, for a job's first start.",
        description =
                "Validates the config snapshot as the job does and writes it into the broadcast"
                        + " state of the route and buffer operators of a new savepoint, then"
                        + " reads it back. A job started from it runs on this config unless its"
                        + " start config (--config) has a newer version. Exit code 2: the config"
                        + " is invalid (nothing is written) or PATH already exists.")
public final class BootstrapCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "Config snapshot (JSON), as for the job's --config.")
    Path config;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "PATH",
            description = "New savepoint directory; a local path or a file: URI. Must not exist.")
    String out;

    @Option(
            names = "--max-parallelism",
            paramLabel = "N",
            description =
                    "Max parallelism of the savepoint (default: ${DEFAULT-VALUE}, Flink's for a"
                            + " job that sets none, as Sluice does). Give the job's own if"
                            + " pipeline.max-parallelism is set for it.")
    int maxParallelism = ConfigSavepointWriter.DEFAULT_MAX_PARALLELISM;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigSnapshot snapshot = readConfig(config);
        String savepoint = new ConfigSavepointWriter().write(snapshot, out, maxParallelism);
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf("Savepoint        %s%n", savepoint);
        printer.printf(
                "Config           version %d with %d jobs, in the broadcast state of %s"
                        + " (read back)%n",
                snapshot.version(),
                snapshot.jobs().size(),
                String.join(" and ", ConfigSavepointWriter.configOperatorUids()));
        printer.printf("Max parallelism  %d%n", maxParallelism);
        printer.printf(
                "Start the job from it with a --config of version %d or older; a newer start"
                        + " config replaces this one.%n",
                snapshot.version());
        printer.flush();
        return 0;
    }

    /** The snapshot in {@code file}, validated as the job validates its start config. */
    static ConfigSnapshot readConfig(Path file) throws UnusableInputException {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UnusableInputException("config file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UnusableInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return ConfigParser.parse(json);
        } catch (InvalidConfigException e) {
            throw new UnusableInputException(
                    file
                            + " is not a valid config, nothing written:"
                            + System.lineSeparator()
                            + "  - "
                            + String.join(System.lineSeparator() + "  - ", e.problems()),
                    e);
        }
    }
}
