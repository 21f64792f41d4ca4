package dev.sluice.savepoints;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code bin/sluice savepoint inspect PATH [--json]}: what each job's buffer holds. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        header = "What each delivery job's buffer holds in a savepoint or checkpoint.",
        description =
                "Reports, per delivery job, the records and uncompressed bytes buffered in the"
                        + " open batch, its compressed chunks, the next batch sequence, the event"
                        + " time of the oldest pending record and the ledger (records in, emitted,"
                        + " filtered, sampled out); and the config version in broadcast state."
                        + " Exit code 2: not a Sluice savepoint.")
public final class InspectCommand implements Callable<Integer> {

    @Mixin SavepointPath savepoint;

    @Option(names = "--json", description = "Print a JSON document instead of a table.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SavepointSummary summary = new SavepointInspector().inspect(savepoint.path);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonReport.print(summary, out);
        } else {
            TextReport.print(summary, out);
        }
        return 0;
    }
}
