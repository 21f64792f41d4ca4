package dev.sluice.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Poison for the config topic, each kind as a producer could write it to the compacted, keyed
 * topic: tombstones under a job's and the snapshot's key, values that are empty, not UTF-8, not
 * JSON or JSON of the wrong shape, an upsert with a misspelt field, and upserts whose destination
 * the sink could not build. The config source ignores the tombstones; the router's review refuses
 * the rest.
 */
final class ConfigPoison {

    /** A config-topic record of one kind. */
    record Message(String kind, ChaosRig.ConfigRecord record) {

        /** Whether the config source drops it (counted by reason), not the router's review. */
        boolean tombstone() {
            return record.value() == null;
        }
    }

    private ConfigPoison() {}

    /**
     * One message of each kind, upserts at {@code version} and on; {@code destination} is a usable
     * destination the unusable ones are made from.
     */
    static List<Message> round(int version, String destination) {
        List<Message> messages = new ArrayList<>();
        messages.add(raw("tombstone of a job", "job/1", null));
        messages.add(raw("tombstone of the snapshot", "snapshot", null));
        messages.add(raw("empty value", "snapshot", new byte[0]));
        messages.add(
                raw("not UTF-8", "snapshot", new byte[] {(byte) 0xc3, 0x28, (byte) 0xff, '{'}));
        messages.add(text("not JSON", "{\"version\": " + version + ", \"upsert\": "));
        messages.add(text("JSON array", "[1, 2, 3]"));
        messages.add(text("upsert of a string", upsert(version, "\"job 400\"")));
        String job = ChaosJobs.job(400, "poison0001", destination, 1_000);
        messages.add(
                text(
                        "unknown field max_upload_record",
                        upsert(version + 1, withField(job, "\"max_upload_record\": 5"))));
        messages.add(
                text(
                        "attempt-timeout-ms=abc",
                        upsert(version + 2, job.replace("?", "?attempt-timeout-ms=abc&"))));
        messages.add(
                text(
                        "endpoint=ftp://x",
                        upsert(
                                version + 3,
                                job.replaceFirst("endpoint=[^&]*", "endpoint=ftp://x"))));
        return messages;
    }

    /** Upsert versions one round takes. */
    static int versionsPerRound() {
        return 4;
    }

    /** {@code job} with one more field. */
    private static String withField(String job, String field) {
        return job.substring(0, job.lastIndexOf('}')) + ", " + field + "}";
    }

    private static String upsert(int version, String job) {
        return "{\"version\": " + version + ", \"upsert\": " + job + "}";
    }

    private static Message text(String kind, String value) {
        return raw(kind, ChaosRig.topicKey(value), value.getBytes(StandardCharsets.UTF_8));
    }

    private static Message raw(String kind, String key, byte[] value) {
        return new Message(kind, new ChaosRig.ConfigRecord(key, value));
    }
}
