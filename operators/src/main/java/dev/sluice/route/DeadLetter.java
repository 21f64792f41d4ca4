package dev.sluice.route;

/** A Kafka value that could not be decoded, kept whole with the reason. A Flink POJO. */
public class DeadLetter {

    /** Why it was rejected, e.g. "unknown schema fingerprint". */
    public String reason;

    /** The value exactly as read from Kafka. */
    public byte[] payload;

    public DeadLetter() {}

    public DeadLetter(String reason, byte[] payload) {
        this.reason = reason;
        this.payload = payload;
    }
}
