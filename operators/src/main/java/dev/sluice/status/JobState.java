package dev.sluice.status;

import java.util.Locale;

/**
 * What a delivery job's last batch came to, as its status says it (Logpush's job health): the job
 * names only what the sink saw; {@code bin/sluice jobs status} adds what the config says.
 */
public enum JobState {
    /** Its last batch was delivered to its destination. */
    HEALTHY,
    /** Its destination failed its last batch, which is parked with the reason. */
    FAILING;

    /** The name in the status topic and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
