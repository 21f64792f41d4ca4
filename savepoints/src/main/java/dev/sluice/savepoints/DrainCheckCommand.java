package dev.sluice.savepoints;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code bin/sluice savepoint drain-check PATH}: whether any job still holds records. */
@Command(
        name = "drain-check",
        mixinStandardHelpOptions = true,
        header = "Whether every delivery job's buffer is empty in a savepoint or checkpoint.",
        description =
                "What a final stop with drain must leave before a job or a cluster is retired:"
                        + " no record waiting in any job's buffer. Exit code 0: nothing buffered;"
                        + " 1: jobs still hold records (listed, with the event time of their"
                        + " oldest pending record); 2: not a Sluice savepoint.")
public final class DrainCheckCommand implements Callable<Integer> {

    @Mixin SavepointPath savepoint;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SavepointSummary summary = new SavepointInspector().inspect(savepoint.path);
        boolean drained = DrainReport.print(summary, spec.commandLine().getOut());
        return drained ? 0 : SavepointCommand.EXIT_STILL_BUFFERED;
    }
}
