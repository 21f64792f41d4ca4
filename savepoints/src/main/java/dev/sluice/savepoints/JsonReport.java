package dev.sluice.savepoints;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Formats a {@link SavepointSummary} as a JSON document for scripts. Field names are spelled out
 * here rather than derived from the records, so renaming Java code never changes the contract.
 */
final class JsonReport {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    static void print(SavepointSummary summary, PrintWriter out) throws IOException {
        out.println(MAPPER.writeValueAsString(toJson(summary)));
        out.flush();
    }

    static ObjectNode toJson(SavepointSummary summary) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("savepoint", summary.location());
        root.put("kind", summary.kind());
        root.put("format", summary.format());
        root.put("checkpoint_id", summary.checkpointId());
        root.put("state_backend", summary.stateBackend());
        root.set("config", config(summary.config()));
        ObjectNode totals = root.putObject("totals");
        totals.put("jobs", summary.jobs().size());
        totals.put("buffered_records", summary.bufferedRecords());
        totals.put("buffered_bytes", summary.bufferedBytes());
        totals.put("pending_bytes", summary.pendingBytes());
        totals.put("chunks", summary.chunks());
        totals.put("chunk_bytes", summary.chunkBytes());
        ArrayNode jobs = root.putArray("jobs");
        summary.jobs().forEach(job -> jobs.add(job(job)));
        ArrayNode warnings = root.putArray("warnings");
        summary.warnings().forEach(warnings::add);
        return root;
    }

    private static ObjectNode config(StoredConfig config) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("stored", config.stored());
        if (!config.stored()) {
            node.put("note", StoredConfig.NONE_STORED);
        } else if (config.problem() != null) {
            node.put("problem", config.problem());
        } else {
            node.put("version", config.version());
            node.put("jobs", config.jobs());
        }
        return node;
    }

    private static ObjectNode job(JobBuffer job) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("job_id", job.jobId());
        node.put("buffered_records", job.metaRecords());
        node.put("buffered_bytes", job.metaBytes());
        node.put("pending_records", job.pendingRecords());
        node.put("pending_bytes", job.pendingBytes());
        node.put("chunks", job.chunks());
        node.put("chunk_bytes", job.chunkBytes());
        node.put("next_seq", job.nextSeq());
        node.put("oldest_pending", job.oldestPending().map(Object::toString).orElse(null));
        node.put("records_in", job.recordsIn());
        node.put("records_emitted", job.recordsEmitted());
        node.put("records_filtered", job.recordsFiltered());
        node.put("records_sampled_out", job.recordsSampledOut());
        return node;
    }
}
