package dev.sluice.sink.store;

import java.io.IOException;

/** What the store holds is not what was staged: never reported as a success. */
public final class IntegrityException extends IOException {

    public IntegrityException(String message) {
        super(message);
    }
}
