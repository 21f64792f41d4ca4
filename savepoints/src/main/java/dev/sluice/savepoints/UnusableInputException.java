package dev.sluice.savepoints;

/**
 * Input a savepoint command cannot use (not a Sluice savepoint, a config that cannot be
 * bootstrapped, an output path in the way), with a message that says what was expected instead. The
 * command reports the message alone and exits with a usage error, never a stack trace.
 */
public final class UnusableInputException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnusableInputException(String message) {
        super(message);
    }

    public UnusableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
