package dev.sluice.savepoints;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * {@code bin/sluice savepoint}: tools that read and write Sluice savepoints with Flink's State
 * Processor API. Subcommands: {@code inspect}, {@code drain-check}, {@code bootstrap}; migrate is
 * planned.
 *
 * <p>Exit codes: 0 on success; 2 for a usage error, a path that is not a Sluice savepoint, or an
 * invalid config or output path to bootstrap (the message says what was expected); 1 when {@code
 * drain-check} finds records still buffered, and for any other failure (with a stack trace).
 */
@Command(
        name = "savepoint",
        mixinStandardHelpOptions = true,
        subcommands = {
            InspectCommand.class,
            DrainCheckCommand.class,
            BootstrapCommand.class,
            CommandLine.HelpCommand.class
        },
        description = "Reads and writes Sluice savepoints and retained checkpoints offline.")
public final class SavepointCommand implements Runnable {

    /** A path that is missing, not a savepoint, or of another job. */
    public static final int EXIT_NOT_A_SLUICE_SAVEPOINT = CommandLine.ExitCode.USAGE;

    /** A config or output path that {@code bootstrap} refuses; nothing was written. */
    public static final int EXIT_INVALID_BOOTSTRAP = CommandLine.ExitCode.USAGE;

    /** {@code drain-check}: at least one job still holds records. */
    public static final int EXIT_STILL_BUFFERED = 1;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Sluice's exit codes; tests run it with their own out and err. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SavepointCommand());
        cli.setExecutionExceptionHandler(SavepointCommand::handle);
        return cli;
    }

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "Missing subcommand: use inspect, drain-check or bootstrap");
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        String command = "sluice " + cli.getCommandSpec().qualifiedName(" ");
        if (e instanceof UnusableInputException) {
            // EXIT_NOT_A_SLUICE_SAVEPOINT and EXIT_INVALID_BOOTSTRAP alike: a usage error.
            err.println(command + ": " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        // Unexpected: the full trace is what a bug report needs.
        err.println(command + " failed: " + e);
        e.printStackTrace(err);
        return CommandLine.ExitCode.SOFTWARE;
    }
}
