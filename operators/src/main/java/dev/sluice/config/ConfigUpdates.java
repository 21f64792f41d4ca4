package dev.sluice.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses and validates config updates; an invalid update never half-applies. */
public final class ConfigUpdates {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private ConfigUpdates() {}

    public static ConfigUpdate parse(String json) throws InvalidConfigException {
        JsonNode node;
        try {
            node = json == null ? null : MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidConfigException(
                    List.of("not a config update: " + firstLine(e.getMessage())));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidConfigException(
                    List.of("config update is empty or not a JSON object"));
        }
        if (node.has("upsert")) {
            return upsert(node);
        }
        if (node.has("delete")) {
            return delete(node);
        }
        ConfigSnapshot snapshot = ConfigParser.parse(json);
        return new ConfigUpdate.Snapshot(
                snapshot.version(), snapshot.jobs(), node.path("force").asBoolean(false));
    }

    private static ConfigUpdate upsert(JsonNode node) throws InvalidConfigException {
        long version = version(node);
        DeliveryJob job;
        try {
            job = MAPPER.treeToValue(node.get("upsert"), DeliveryJob.class);
        } catch (IOException e) {
            throw new InvalidConfigException(
                    List.of("upsert is not a job: " + firstLine(e.getMessage())));
        }
        List<String> problems = new ArrayList<>();
        JobValidator.validate(job).forEach(p -> problems.add("job " + job.id() + ": " + p));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new ConfigUpdate.Upsert(version, job);
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

    private static String firstLine(String message) {
        String m = message == null ? "" : message;
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
