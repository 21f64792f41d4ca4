package dev.sluice.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses and validates config updates; an invalid update never half-applies. */
public final class ConfigUpdates {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private static final ObjectReader JOB_READER = MAPPER.readerFor(DeliveryJob.class);

    private ConfigUpdates() {}

    public static ConfigUpdate parse(String json) throws InvalidConfigException {
        JsonNode node;
        try {
            node = json == null ? null : MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidConfigException(
                    List.of("not a config update: " + ConfigParser.describe("", e)));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidConfigException(
                    List.of("config update is empty or not a JSON object"));
        }
        if (node.has("upsert")) {
            onlyFields(node, "upsert");
            return upsert(node);
        }
        if (node.has("delete")) {
            onlyFields(node, "delete");
            return delete(node);
        }
        ConfigSnapshot snapshot = ConfigParser.parse(json);
        return new ConfigUpdate.Snapshot(
                snapshot.version(), snapshot.jobs(), node.path("force").asBoolean(false));
    }

    private static ConfigUpdate upsert(JsonNode node) throws InvalidConfigException {
        long version = version(node);
        DeliveryJob job;
        UnknownFields unknown = new UnknownFields("upsert");
        try {
            job = JOB_READER.withHandler(unknown).readValue(node.get("upsert"));
        } catch (IOException e) {
            throw new InvalidConfigException(
                    List.of("upsert is not a job: " + ConfigParser.describe("upsert", e)));
        }
        if (job == null) {
            throw new InvalidConfigException(List.of("upsert is not a job: null"));
        }
        ConfigParser.warn(unknown);
        List<String> problems = new ArrayList<>(unknown.problems());
        JobValidator.validate(job).forEach(p -> problems.add("job " + job.id() + ": " + p));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new ConfigUpdate.Upsert(version, job);
    }

    /** An upsert or delete carries its version and its one change, nothing else. */
    private static void onlyFields(JsonNode node, String change) throws InvalidConfigException {
        List<String> known = List.of("version", change);
        List<String> problems = new ArrayList<>();
        node.fieldNames()
                .forEachRemaining(
                        name -> {
                            if (!known.contains(name)) {
                                problems.add(
                                        "unknown field '"
                                                + name
                                                + "' in a "
                                                + change
                                                + Suggestions.didYouMean(name, known)
                                                + "; an update is one of jobs, upsert or delete");
                            }
                        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    private static ConfigUpdate delete(JsonNode node) throws InvalidConfigException {
        long version = version(node);
        if (!node.get("delete").canConvertToLong() || node.get("delete").asLong() <= 0) {
            throw new InvalidConfigException(List.of("delete must name a positive job id"));
        }
        return new ConfigUpdate.Delete(version, node.get("delete").asLong());
    }

    private static long version(JsonNode node) throws InvalidConfigException {
        if (!node.path("version").canConvertToLong() || node.get("version").asLong() < 0) {
            throw new InvalidConfigException(List.of("version is missing or negative"));
        }
        return node.get("version").asLong();
    }
}
