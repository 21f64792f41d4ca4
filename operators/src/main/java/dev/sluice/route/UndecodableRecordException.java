package dev.sluice.route;

/** A Kafka value that is not a usable log event; its message is the dead-letter reason. */
public final class UndecodableRecordException extends Exception {

    public UndecodableRecordException(String reason) {
        super(reason, null, false, false);
    }
}
