package dev.sluice.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobID;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The parts of Flink's REST API that Sluice's rigs and tests use: upload a jar and run it, watch a
 * job, its failures and checkpoints, stop it with a savepoint, cancel it. Plain HTTP and JSON, as a
 * CI pipeline or an operator's script would call them, so the callers depend on the API and not on
 * a client library.
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How many failures to ask for (the API returns 20 unless asked). */
    private static final int MAX_EXCEPTIONS = 10_000;

    /** How long a GET may take; uploads and runs may take longer on a loaded machine. */
    private static final Duration GET_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    /** A client of the REST API at {@code endpoint}, e.g. {@code http://127.0.0.1:8081}. */
    public FlinkRest(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** An answer other than 2xx, with Flink's error text. */
    public static final class RestException extends IOException {
        private static final long serialVersionUID = 1L;

        private final int status;

        RestException(String request, int status, String body) {
            super(request + ": HTTP " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The checkpoint counters and the latest completed checkpoint of a job. */
    public record Checkpoints(
            long completed,
            long inProgress,
            long failed,
            long latestId,
            long latestStateBytes,
            long latestAckMillis) {}

    /** A failure the job restarted from: its exception's class and first line of its trace. */
    public record Failure(String exceptionName, String firstLine) {
        @Override
        public String toString() {
            return exceptionName + ": " + firstLine;
        }
    }

    /** A condition checked against the cluster; may throw when the cluster is not ready. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** POST /jars/upload (multipart, field {@code jarfile}); returns the jar's id. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "sluice-" + UUID.randomUUID();
        byte[] head =
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request =
                HttpRequest.newBuilder(endpoint.resolve("/jars/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(
                                HttpRequest.BodyPublishers.ofByteArrays(
                                        List.of(head, Files.readAllBytes(jar), tail)))
                        .build();
        String filename = send(request).get("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /**
     * POST /jars/:id/run with the program's arguments, restoring {@code savepoint} when given;
     * returns the job's id. The main method runs inside the JobManager.
     */
    public JobID run(String jarId, List<String> args, String savepoint)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.set("programArgsList", JSON.valueToTree(args));
        if (savepoint != null) {
            body.put("savepointPath", savepoint);
        }
        String id = send(post("/jars/" + jarId + "/run", body)).get("jobid").asText();
        return JobID.fromHexString(id);
    }

    /** GET /jobs/:id. */
    public JsonNode job(JobID job) throws IOException, InterruptedException {
        return get("/jobs/" + job);
    }

    /** The job's state, e.g. RUNNING. */
    public String state(JobID job) throws IOException, InterruptedException {
        return job(job).path("state").asText();
    }

    /** Whether the job runs and so does every task of every one of its vertices. */
    public boolean allTasksRunning(JobID job) throws IOException, InterruptedException {
        JsonNode root = job(job);
        if (!"RUNNING".equals(root.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : root.path("vertices")) {
            if (vertex.path("tasks").path("RUNNING").asInt()
                    != vertex.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the job and every one of its tasks run. */
    public void awaitRunning(JobID job, Duration timeout) throws Exception {
        await("job " + job + " running on all tasks", timeout, () -> allTasksRunning(job));
    }

    /**
     * The failures the job restarted from, newest first, from GET /jobs/:id/exceptions: at once,
     * where the {@code numRestarts} metric lags behind the metric fetcher's interval.
     */
    public List<Failure> failures(JobID job) throws IOException, InterruptedException {
        List<Failure> failures = new ArrayList<>();
        for (JsonNode e :
                get("/jobs/" + job + "/exceptions?maxExceptions=" + MAX_EXCEPTIONS)
                        .path("exceptionHistory")
                        .path("entries")) {
            String trace = e.path("stacktrace").asText();
            failures.add(
                    new Failure(
                            e.path("exceptionName").asText(),
                            trace.lines().findFirst().orElse("")));
        }
        return failures;
    }

    /** GET /jobs/:id/checkpoints: the counters and the latest completed checkpoint. */
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

    /** Registered TaskManagers, from GET /overview. */
    public int taskManagers() throws IOException, InterruptedException {
        return get("/overview").get("taskmanagers").asInt();
    }

    /** POST /jobs/:id/stop (stop with savepoint) and wait for it; returns the savepoint's path. */
    public String stopWithSavepoint(JobID job, Path directory, Duration timeout) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", directory.toUri().toString());
        body.put("drain", false);
        String trigger = send(post("/jobs/" + job + "/stop", body)).get("request-id").asText();
        JsonNode[] done = new JsonNode[1];
        await(
                "savepoint of " + job,
                timeout,
                () -> {
                    done[0] = get("/jobs/" + job + "/savepoints/" + trigger);
                    return done[0].get("status").get("id").asText().equals("COMPLETED");
                });
        JsonNode operation = done[0].get("operation");
        if (operation.has("failure-cause")) {
            throw new IllegalStateException("savepoint failed: " + operation.get("failure-cause"));
        }
        return operation.get("location").asText();
    }

    /** PATCH /jobs/:id (cancel). */
    public void cancel(JobID job) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(endpoint.resolve("/jobs/" + job + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build());
    }

    /** Checks {@code condition} every 250 ms until it holds; fails after {@code timeout}. */
    public static void await(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(endpoint.resolve(path)).timeout(GET_TIMEOUT).build());
    }

    private HttpRequest post(String path, JsonNode body) throws IOException {
        return HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw new RestException(
                    request.method() + " " + request.uri().getPath(),
                    response.statusCode(),
                    response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
