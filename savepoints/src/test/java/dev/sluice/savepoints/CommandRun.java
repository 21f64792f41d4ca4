package dev.sluice.savepoints;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of {@code sluice savepoint ...} in this JVM, with what it printed and its exit code. */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SavepointCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
