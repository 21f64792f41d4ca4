package dev.sluice.jobs;

import java.util.List;

/**
 * The job's arguments or settings are wrong; the message lists every problem found, one per line.
 * Thrown from {@code main} rather than exiting: on a cluster the main method runs inside the
 * JobManager (REST submission), where {@code System.exit} would end the JobManager itself, while an
 * exception reaches the submitter as the reason the job was refused.
 */
public final class InvalidJobArgumentsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidJobArgumentsException(List<String> problems) {
        super(
                "sluice: not starting:\n  - "
                        + String.join("\n  - ", problems)
                        + "\n(see --help; every setting can also be a --set KEY=VALUE)");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
