package dev.sluice.tests;

import dev.sluice.chaos.Check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * The parts of Flink's REST API a deployment uses: upload a jar, run it, watch the job, stop it
 * with a savepoint, cancel it. Plain HTTP and JSON, as a CI pipeline or an operator's script would
 * call them, so the test depends on the API and not on a client library.
 */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    FlinkRest(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** An answer other than 2xx, with Flink's error text. */
    static final class RestException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        RestException(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
        }
    }

    /** POST /jars/upload (multipart, field {@code jarfile}); returns the jar's id. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
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
     * returns the job id. The main method runs inside the JobManager.
     */
    String run(String jarId, List<String> args, String savepoint)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.set("programArgsList", JSON.valueToTree(args));
        if (savepoint != null) {
            body.put("savepointPath", savepoint);
        }
        return send(post("/jars/" + jarId + "/run", body)).get("jobid").asText();
    }

    /** GET /jobs/:id. */
    JsonNode job(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(endpoint.resolve("/jobs/" + jobId)).build());
    }

    /** Waits until the job and every one of its tasks run. */
    void awaitRunning(String jobId, Duration timeout) throws Exception {
        await(
                "job " + jobId + " running on all tasks",
                timeout,
                () -> {
                    JsonNode job = job(jobId);
                    if (!job.get("state").asText().equals("RUNNING")) {
                        return false;
                    }
                    for (JsonNode vertex : job.get("vertices")) {
                        JsonNode tasks = vertex.get("tasks");
                        if (tasks.path("RUNNING").asInt() != vertex.get("parallelism").asInt()) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /**
     * The root causes of the job's failures so far, from GET /jobs/:id/exceptions (immediate, where
     * the {@code numRestarts} metric lags behind the metric fetcher's interval).
     */
    List<String> failures(String jobId) throws IOException, InterruptedException {
        JsonNode history =
                send(HttpRequest.newBuilder(endpoint.resolve("/jobs/" + jobId + "/exceptions"))
                                .build())
                        .path("exceptionHistory")
                        .path("entries");
        List<String> causes = new ArrayList<>();
        history.forEach(
                e ->
                        causes.add(
                                e.path("exceptionName").asText()
                                        + ": "
                                        + e.path("stacktrace")
                                                .asText()
                                                .lines()
                                                .findFirst()
                                                .orElse("")));
        return causes;
    }

    /** Registered TaskManagers, from GET /overview. */
    int taskManagers() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(endpoint.resolve("/overview")).build())
                .get("taskmanagers")
                .asInt();
    }

    /** POST /jobs/:id/stop (stop with savepoint) and wait for it; returns the savepoint's path. */
    String stopWithSavepoint(String jobId, Path directory, Duration timeout) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", directory.toUri().toString());
        body.put("drain", false);
        String trigger = send(post("/jobs/" + jobId + "/stop", body)).get("request-id").asText();
        JsonNode[] done = new JsonNode[1];
        await(
                "savepoint of " + jobId,
                timeout,
                () -> {
                    JsonNode status =
                            send(
                                    HttpRequest.newBuilder(
                                                    endpoint.resolve(
                                                            "/jobs/"
                                                                    + jobId
                                                                    + "/savepoints/"
                                                                    + trigger))
                                            .build());
                    done[0] = status;
                    return status.get("status").get("id").asText().equals("COMPLETED");
                });
        JsonNode operation = done[0].get("operation");
        if (operation.has("failure-cause")) {
            throw new IllegalStateException("savepoint failed: " + operation.get("failure-cause"));
        }
        return operation.get("location").asText();
    }

    /** PATCH /jobs/:id (cancel). */
    void cancel(String jobId) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(endpoint.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build());
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
            throw new RestException(response.statusCode(), response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** A condition checked against the cluster; may throw when the cluster is not ready. */
    interface Check {
        boolean holds() throws Exception;
    }

    static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
