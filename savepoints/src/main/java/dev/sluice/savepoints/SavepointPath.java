package dev.sluice.savepoints;

import picocli.CommandLine.Parameters;

/** The PATH argument shared by the commands that read a savepoint or checkpoint. */
final class SavepointPath {

    @Parameters(
            index = "0",
            paramLabel = "PATH",
            description =
                    "A savepoint directory (savepoint-…), a retained checkpoint (chk-N), "
                            + "or its _metadata file; a local path or a file: URI.")
    String path;
}
