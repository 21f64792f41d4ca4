package dev.sluice.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates configuration snapshots. The one place that decides whether a config may
 * take effect, used by the job's entry point (refuse to start) and by every operator that receives
 * config updates (reject and keep the last-known-good), so both always agree.
 */
public final class ConfigParser {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private static final Logger LOG = LoggerFactory.getLogger(ConfigParser.class);

    private static final ObjectReader READER = MAPPER.readerFor(ConfigSnapshot.class);

    /** Leaves the stream open, so a caller hashing it can read what follows the snapshot. */
    private static final ObjectReader STREAM_READER =
            READER.without(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private ConfigParser() {}

    /** Parses and validates a snapshot, or throws with every problem found. */
    public static ConfigSnapshot parse(String json) throws InvalidConfigException {
        ConfigSnapshot snapshot;
        UnknownFields unknown = new UnknownFields("");
        try {
            snapshot = READER.withHandler(unknown).readValue(json);
        } catch (IOException e) {
            throw new InvalidConfigException(List.of("not a config snapshot: " + describe("", e)));
        }
        return validated(snapshot, unknown);
    }

    /**
     * {@link #parse(String)} straight from a stream, for start configs too large to hold as a
     * String as well (hundreds of MB at a million jobs). Reads the snapshot and leaves {@code in}
     * open, positioned somewhere after it.
     *
     * @throws IOException when reading fails, as opposed to the bytes not being a snapshot
     */
    public static ConfigSnapshot parse(InputStream in) throws InvalidConfigException, IOException {
        ConfigSnapshot snapshot;
        UnknownFields unknown = new UnknownFields("");
        try {
            snapshot = STREAM_READER.withHandler(unknown).readValue(in);
        } catch (JsonProcessingException | CharConversionException e) {
            throw new InvalidConfigException(List.of("not a config snapshot: " + describe("", e)));
        }
        return validated(snapshot, unknown);
    }

    private static ConfigSnapshot validated(ConfigSnapshot snapshot, UnknownFields unknown)
            throws InvalidConfigException {
        if (snapshot == null) {
            throw new InvalidConfigException(List.of("config is empty"));
        }
        warn(unknown);
        List<String> problems = new ArrayList<>(unknown.problems());
        problems.addAll(validate(snapshot));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return snapshot;
    }

    /** Every problem in the snapshot; empty when it may take effect. */
    public static List<String> validate(ConfigSnapshot snapshot) {
        List<String> problems = new ArrayList<>();
        if (snapshot.version() < 0) {
            problems.add("version is missing or negative");
        }
        if (snapshot.jobs().isEmpty()) {
            problems.add("jobs is empty: a blank configuration is never applied");
        }
        Set<Long> ids = new HashSet<>();
        for (DeliveryJob job : snapshot.jobs()) {
            if (!ids.add(job.id())) {
                problems.add("job id " + job.id() + " appears more than once");
            }
            JobValidator.validate(job).forEach(p -> problems.add("job " + job.id() + ": " + p));
        }
        return problems;
    }

    /** Logpush fields that were accepted and ignored: said once per read, never in silence. */
    static void warn(UnknownFields unknown) {
        if (!unknown.warnings().isEmpty()) {
            LOG.warn("Config fields ignored: {}", String.join("; ", unknown.warnings()));
        }
    }

    /** Serializes a snapshot back to its JSON form. */
    public static String toJson(ConfigSnapshot snapshot) {
        try {
            return MAPPER.writeValueAsString(snapshot);
        } catch (IOException e) {
            throw new IllegalStateException("config snapshot cannot be written as JSON", e);
        }
    }

    /** One job's JSON, the same bytes for equal jobs. */
    static String jobJson(DeliveryJob job) {
        try {
            return MAPPER.writeValueAsString(job);
        } catch (IOException e) {
            throw new IllegalStateException("job cannot be written as JSON", e);
        }
    }

    /** A job's settings other than {@code enabled}, as JSON: equal exactly when they match. */
    static String settingsJson(DeliveryJob job) {
        com.fasterxml.jackson.databind.node.ObjectNode node = MAPPER.valueToTree(job);
        node.remove("enabled");
        return node.toString();
    }

    /**
     * What went wrong reading JSON, for people: the place of the field it happened at ({@code
     * jobs[2].enabled}, under {@code root}) and the first line of the reader's message, without its
     * position in the source (the source may hold credentials).
     */
    static String describe(String root, Throwable e) {
        String place = "";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder(root);
            for (JsonMappingException.Reference r : mapping.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            place = path + ": ";
        }
        Throwable t = e instanceof JsonProcessingException ? e : rootCause(e);
        String message =
                t instanceof JsonProcessingException json
                        ? json.getOriginalMessage()
                        : String.valueOf(t.getMessage());
        int newline = message.indexOf('\n');
        return place + (newline < 0 ? message : message.substring(0, newline));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
