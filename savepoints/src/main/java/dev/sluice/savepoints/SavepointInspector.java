package dev.sluice.savepoints;

import dev.sluice.config.ConfigHolder;
import dev.sluice.jobs.SluicePipeline;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CheckpointProperties;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads a Sluice savepoint with the State Processor API: each job's buffer from the keyed state of
 * the buffer operator, and the config snapshot from its broadcast state, in one small Flink job on
 * a local MiniCluster with parallelism 1.
 */
public final class SavepointInspector {

    /** The per-job buffer, whose keyed and broadcast state the report is made of. */
    static final OperatorIdentifier BUFFER = OperatorIdentifier.forUid(SluicePipeline.BUFFER_UID);

    private static final TypeInformation<JobBuffer> JOB_BUFFER =
            TypeInformation.of(JobBuffer.class);
    private static final String JOBS = "sluice.inspect.jobs";
    private static final String SNAPSHOTS = "sluice.inspect.config-snapshots";

    /** Reads the savepoint or retained checkpoint at {@code path}. */
    public SavepointSummary inspect(String path) throws Exception {
        SavepointLocation location = SavepointLocation.resolve(path);
        CheckpointMetadata metadata = loadMetadata(location);
        ReaderBackend backend = ReaderBackend.forState(bufferState(metadata, path));
        JobExecutionResult result = read(location, backend);
        List<JobBuffer> jobs = listOf(result, JOBS);
        jobs.sort(Comparator.comparingLong(JobBuffer::jobId));
        List<String> snapshots = listOf(result, SNAPSHOTS);
        CheckpointProperties properties = metadata.getCheckpointProperties();
        return new SavepointSummary(
                location.pointer(),
                metadata.getCheckpointId(),
                kind(properties),
                format(properties),
                backend.label(),
                StoredConfig.newestOf(snapshots),
                jobs,
                warnings(jobs, snapshots));
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    /** Runs one job that reads both kinds of state; the rows come back as accumulators. */
    private static JobExecutionResult read(SavepointLocation location, ReaderBackend backend)
            throws Exception {
        Configuration conf = LocalJob.configuration("sluice savepoint inspect");
        StreamExecutionEnvironment env = LocalJob.environment(conf);
        SavepointReader reader = SavepointReader.read(env, location.pointer(), backend.create());
        reader.readKeyedState(BUFFER, new BufferStateReader(), Types.LONG, JOB_BUFFER)
                .map(new AccumulatingMap<>(JOBS), JOB_BUFFER)
                .sinkTo(new DiscardingSink<>());
        readConfigSnapshots(reader, BUFFER, SNAPSHOTS);
        try {
            return LocalJob.execute(env, conf);
        } catch (JobExecutionException e) {
            // The reading job fails when the state is not what this build's serializers expect.
            throw new UnusableInputException(
                    location.pointer()
                            + ": its state cannot be read by this build (a savepoint of an"
                            + " incompatible Sluice version?): "
                            + rootCause(e),
                    e);
        }
    }

    /**
     * Adds to {@code reader}'s job the config snapshot JSONs in {@code operator}'s broadcast state,
     * one per subtask copy, collected in the list accumulator {@code accumulator}.
     */
    static void readConfigSnapshots(
            SavepointReader reader, OperatorIdentifier operator, String accumulator)
            throws IOException {
        // The 2.2 reader takes the descriptor's name, types and serializers, not the descriptor.
        reader.readBroadcastState(
                        operator,
                        ConfigHolder.CONFIG_STATE.getName(),
                        Types.STRING,
                        Types.STRING,
                        ConfigHolder.CONFIG_STATE.getKeySerializer(),
                        ConfigHolder.CONFIG_STATE.getValueSerializer())
                .filter(entry -> ConfigHolder.SNAPSHOT_KEY.equals(entry.f0))
                .map(entry -> entry.f1, Types.STRING)
                .map(new AccumulatingMap<>(accumulator), Types.STRING)
                .sinkTo(new DiscardingSink<>());
    }

    /** The items a list accumulator of the job collected; empty if it saw none. */
    static <T> List<T> listOf(JobExecutionResult result, String accumulator) {
        List<T> items = result.getAccumulatorResult(accumulator);
        return items == null ? new ArrayList<>() : new ArrayList<>(items);
    }

    /** Inconsistencies a healthy savepoint never has. */
    private static List<String> warnings(List<JobBuffer> jobs, List<String> snapshots) {
        List<String> warnings = new ArrayList<>();
        for (JobBuffer job : jobs) {
            if (!job.consistent()) {
                warnings.add(inconsistency(job));
            }
        }
        if (StoredConfig.disagree(snapshots)) {
            warnings.add("buffer subtasks hold different config snapshots; the newest is shown");
        }
        return warnings;
    }

    /** What the bookkeeping of a job says beside what its state holds. */
    static String inconsistency(JobBuffer job) {
        return String.format(
                Locale.ROOT,
                "job %d: bookkeeping says %d records of %d bytes (%d pending), %d chunks of %d"
                        + " bytes; the state holds %d pending records of %d bytes, %d chunks of %d"
                        + " bytes",
                job.jobId(),
                job.metaRecords(),
                job.metaBytes(),
                job.metaPendingBytes(),
                job.metaChunks(),
                job.metaStoredBytes(),
                job.pendingRecords(),
                job.pendingBytes(),
                job.chunks(),
                job.chunkBytes());
    }

    private static CheckpointMetadata loadMetadata(SavepointLocation location)
            throws UnusableInputException {
        try {
            return SavepointLoader.loadSavepointMetadata(location.pointer());
        } catch (IOException | RuntimeException e) {
            throw new UnusableInputException(
                    "cannot read the metadata of "
                            + location.pointer()
                            + ": "
                            + e.getMessage()
                            + " (is it a complete savepoint written by Flink 2.x?)",
                    e);
        }
    }

    /** The buffer operator's state, or an error naming what the savepoint holds instead. */
    private static OperatorState bufferState(CheckpointMetadata metadata, String path)
            throws UnusableInputException {
        for (OperatorState operator : metadata.getOperatorStates()) {
            if (operator.getOperatorID().equals(BUFFER.getOperatorId())) {
                return operator;
            }
        }
        throw new UnusableInputException(
                path
                        + " has no operator with uid \""
                        + SluicePipeline.BUFFER_UID
                        + "\", so it is not a savepoint of the Sluice job"
                        + " (expected its per-job buffer; found "
                        + describe(metadata)
                        + ")");
    }

    private static String describe(CheckpointMetadata metadata) {
        List<String> names =
                metadata.getOperatorStates().stream()
                        .map(
                                o ->
                                        o.getOperatorUid()
                                                .or(o::getOperatorName)
                                                .orElse(o.getOperatorID().toHexString()))
                        .sorted()
                        .collect(Collectors.toList());
        return names.size() + " operator(s): " + String.join(", ", names);
    }

    private static String kind(CheckpointProperties properties) {
        if (properties == null) {
            return "unknown";
        }
        return properties.isSavepoint() ? "savepoint" : "checkpoint";
    }

    private static String format(CheckpointProperties properties) {
        if (properties != null && properties.getCheckpointType() instanceof SavepointType type) {
            return type.getFormatType().name().toLowerCase(Locale.ROOT);
        }
        return null;
    }
}
