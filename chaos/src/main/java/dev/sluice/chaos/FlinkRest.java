package dev.sluice.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobID;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a job's restarts and checkpoints from the MiniCluster's REST API. */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    public FlinkRest(URI base) {
        this.base = base;
    }

    /** The checkpoint counters and the latest completed checkpoint of a job. */
    public record Checkpoints(
            long completed,
            long inProgress,
            long failed,
            long latestId,
            long latestStateBytes,
            long latestAckMillis) {}

    /** How many failures to ask for (the API returns 20 unless asked). */
    private static final int MAX_EXCEPTIONS = 10_000;

    /**
     * Failures the job restarted from, as {@code GET /jobs/<id>/exceptions} lists them: at once,
     * unlike the {@code numRestarts} metric.
     */
    public int failures(JobID job) throws IOException, InterruptedException {
        JsonNode entries =
                get("/jobs/" + job + "/exceptions?maxExceptions=" + MAX_EXCEPTIONS)
                        .path("exceptionHistory")
                        .path("entries");
        return entries.size();
    }

    /** The root causes of the job's failures, newest first, for reports. */
    public String failureCauses(JobID job) throws IOException, InterruptedException {
        StringBuilder causes = new StringBuilder();
        for (JsonNode e :
                get("/jobs/" + job + "/exceptions?maxExceptions=" + MAX_EXCEPTIONS)
                        .path("exceptionHistory")
                        .path("entries")) {
            if (causes.length() > 0) {
                causes.append("; ");
            }
            causes.append(e.path("exceptionName").asText());
        }
        return causes.toString();
    }

    public Checkpoints checkpoints(JobID job) throws IOException, InterruptedException {
        JsonNode root = get("/jobs/" + job + "/checkpoints");
        JsonNode counts = root.path("counts");
        JsonNode latest = root.path("latest").path("completed");
        return new Checkpoints(
                counts.path("completed").asLong(),
                counts.path("in_progress").asLong(),
                counts.path("failed").asLong(),
                latest.path("id").asLong(-1),
                latest.path("state_size").asLong(0),
                latest.path("latest_ack_timestamp").asLong(0));
    }

    /** The job's state, e.g. RUNNING. */
    public String state(JobID job) throws IOException, InterruptedException {
        return get("/jobs/" + job).path("state").asText();
    }

    /** Whether every task of every vertex of the job runs. */
    public boolean allTasksRunning(JobID job) throws IOException, InterruptedException {
        JsonNode root = get("/jobs/" + job);
        if (!"RUNNING".equals(root.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : root.path("vertices")) {
            JsonNode tasks = vertex.path("tasks");
            int running = tasks.path("RUNNING").asInt();
            if (running != vertex.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(base.resolve(path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
