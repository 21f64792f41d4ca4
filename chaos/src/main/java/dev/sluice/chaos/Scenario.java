package dev.sluice.chaos;

import java.io.PrintStream;
import java.nio.file.Path;

/** One chaos scenario: it sets up its rig, runs the job through its trouble and judges it. */
public interface Scenario {

    /** The name on the command line, e.g. {@code incident}. */
    String name();

    /** One line on what it does. */
    String description();

    /**
     * Runs the scenario with everything under {@code dataDir}; {@code quick} is the short variant
     * CI runs. Progress goes to {@code log}.
     */
    Verdict run(Path dataDir, boolean quick, PrintStream log) throws Exception;
}
