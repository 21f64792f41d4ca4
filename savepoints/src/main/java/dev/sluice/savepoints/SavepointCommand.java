package dev.sluice.savepoints;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * {@code bin/sluice savepoint}: tools that read (and later write) Sluice savepoints with Flink's
 * State Processor API. Subcommands: {@code inspect}; bootstrap, drain-check and migrate are
 * planned.
 *
 * <p>Exit codes: 0 on success, 2 for a usage error or a path that is not a Sluice savepoint (the
 * message says what was expected), 1 for any other failure.
 */
@Command(
        name = "savepoint",
        mixinStandardHelpOptions = true,
        subcommands = {InspectCommand.class, CommandLine.HelpCommand.class},
        description = "Reads Sluice savepoints and retained checkpoints offline.")
public final class SavepointCommand implements Runnable {

    /** A path that is missing, not a savepoint, or of another job. */
    public static final int EXIT_NOT_A_SLUICE_SAVEPOINT = 2;

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
        throw new ParameterException(spec.commandLine(), "Missing subcommand: use inspect");
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        String command = "sluice " + cli.getCommandSpec().qualifiedName(" ");
        if (e instanceof InspectException) {
            err.println(command + ": " + e.getMessage());
            return EXIT_NOT_A_SLUICE_SAVEPOINT;
        }
        // Unexpected: the full trace is what a bug report needs.
        err.println(command + " failed: " + e);
        e.printStackTrace(err);
        return CommandLine.ExitCode.SOFTWARE;
    }
}
