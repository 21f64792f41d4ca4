package dev.sluice.savepoints;

/** A config or output path that cannot be bootstrapped, with a message that says why. */
public final class BootstrapException extends Exception {

    private static final long serialVersionUID = 1L;

    public BootstrapException(String message) {
        super(message);
    }

    public BootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
