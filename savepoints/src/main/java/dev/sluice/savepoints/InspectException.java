package dev.sluice.savepoints;

/** A path that cannot be inspected, with a message that says what was expected instead. */
public final class InspectException extends Exception {

    private static final long serialVersionUID = 1L;

    public InspectException(String message) {
        super(message);
    }

    public InspectException(String message, Throwable cause) {
        super(message, cause);
    }
}
