package dev.sluice.sink.store;

import dev.sluice.config.Destination;

import java.io.IOException;

/**
 * A destination whose store cannot be set up at all, such as a parameter the store refuses. It
 * fails like a store that refuses a request, so the batch is that job's failure (parked), never the
 * task's.
 */
public final class DestinationUnusableException extends IOException {

    private static final long serialVersionUID = 1L;

    public DestinationUnusableException(String destinationConf, RuntimeException cause) {
        super(
                "destination "
                        + Destination.redact(destinationConf)
                        + " cannot be used: "
                        + cause.getMessage(),
                cause);
    }
}
