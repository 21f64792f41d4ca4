package dev.sluice.savepoints;

import dev.sluice.config.ConfigParser;
import dev.sluice.config.ConfigSnapshot;
import dev.sluice.config.ConfigStateCodec;
import dev.sluice.config.ConfigUpdate;
import dev.sluice.config.VersionedConfig;
import dev.sluice.jobs.SluicePipeline;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.util.List;

/**
 * Writes a new savepoint whose only state is a delivery config, in the broadcast state of both
 * operators that keep one: the router ({@link SluicePipeline#ROUTE_UID}) and the buffer ({@link
 * SluicePipeline#BUFFER_UID}). A job started from it runs on that config from its first record,
 * unless its start config is newer (see {@link dev.sluice.config.ConfigHolder}).
 *
 * <p>The writing job runs on a local MiniCluster with parallelism 1 (Flink 2.2 writes broadcast
 * state with one subtask anyway; a restore at any parallelism gives every subtask that copy). It is
 * the only Sluice tool job that allows generic types: the State Processor API passes the written
 * state between its own operators as Kryo types, and {@link NoRescalingKryoSerializer} makes that
 * work on JDK 17. Flink's bootstrap task ends without an error when its output fails, leaving an
 * empty savepoint, so the written config is read back from both operators before this returns.
 */
public final class ConfigSavepointWriter {

    /**
     * The max parallelism of a bootstrapped savepoint, when none is given. The Sluice job sets none
     * ({@code pipeline.max-parallelism} is unset and no operator calls {@code setMaxParallelism}),
     * so Flink derives it from the parallelism: 128 up to parallelism 85, then the power of two
     * above 1.5 × parallelism. A job without an explicit max parallelism adopts the one of the
     * savepoint it starts from, so after a bootstrap the job keeps 128 (parallelism at most 128).
     */
    public static final int DEFAULT_MAX_PARALLELISM =
            KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM;

    /** The operators whose broadcast state holds the config, as the job's uids name them. */
    static final List<OperatorIdentifier> CONFIG_OPERATORS =
            List.of(
                    OperatorIdentifier.forUid(SluicePipeline.ROUTE_UID),
                    OperatorIdentifier.forUid(SluicePipeline.BUFFER_UID));

    private static final String READ_BACK = "sluice.bootstrap.read-back.";

    /**
     * Writes {@code config} (valid by {@link ConfigParser#validate}) into a new savepoint at {@code
     * out}, which must not exist yet, and checks it by reading it back. Returns the savepoint's
     * location.
     */
    public String write(ConfigSnapshot config, String out, int maxParallelism) throws Exception {
        List<String> problems = ConfigParser.validate(config);
        if (!problems.isEmpty()) {
            throw new UnusableInputException(
                    "invalid config, nothing written: " + String.join("; ", problems));
        }
        requireValidMaxParallelism(maxParallelism);
        Path target = newTarget(out);
        String stored =
                ConfigStateCodec.write(
                        VersionedConfig.of(
                                new ConfigUpdate.Snapshot(config.version(), config.jobs(), false)));
        try {
            writeSavepoint(stored, target, maxParallelism);
            checkReadBack(stored, target);
        } catch (Exception e) {
            // The path did not exist: what is there now is ours, and no job should start from it.
            deleteQuietly(target, e);
            throw e;
        }
        return target.toString();
    }

    private static void deleteQuietly(Path target, Exception failure) {
        try {
            target.getFileSystem().delete(target, true);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static void writeSavepoint(String stored, Path target, int maxParallelism)
            throws Exception {
        Configuration conf = writerConfiguration();
        StreamExecutionEnvironment env = LocalJob.environment(conf);
        DataStream<String> config = env.fromData(Types.STRING, stored);
        SavepointWriter writer =
                SavepointWriter.newSavepoint(env, new HashMapStateBackend(), maxParallelism);
        for (OperatorIdentifier operator : CONFIG_OPERATORS) {
            writer =
                    writer.withOperator(
                            operator,
                            OperatorTransformation.bootstrapWith(config)
                                    .transform(new ConfigStateBootstrapFunction()));
        }
        writer.write(target.toString());
        LocalJob.execute(env, conf);
    }

    /**
     * This tool's own settings, not the job's: the writer's internal types ({@code
     * TaggedOperatorSubtaskState}, {@code OperatorState}, {@code CheckpointMetadata}) have no
     * serializer but Kryo. The only Sluice type written is a String.
     */
    static Configuration writerConfiguration() {
        Configuration conf = LocalJob.configuration("sluice savepoint bootstrap");
        conf.set(PipelineOptions.GENERIC_TYPES, true);
        conf.set(
                PipelineOptions.SERIALIZATION_CONFIG,
                List.of(NoRescalingKryoSerializer.REGISTRATION));
        return conf;
    }

    /** Reads the broadcast state of both operators back; each must hold exactly the config. */
    private static void checkReadBack(String stored, Path target) throws Exception {
        Configuration conf = LocalJob.configuration("sluice savepoint bootstrap (read back)");
        StreamExecutionEnvironment env = LocalJob.environment(conf);
        SavepointReader reader =
                SavepointReader.read(env, target.toString(), new HashMapStateBackend());
        for (OperatorIdentifier operator : CONFIG_OPERATORS) {
            SavepointInspector.readConfigSnapshots(reader, operator, READ_BACK + uid(operator));
        }
        JobExecutionResult result = LocalJob.execute(env, conf);
        for (OperatorIdentifier operator : CONFIG_OPERATORS) {
            List<String> found = SavepointInspector.listOf(result, READ_BACK + uid(operator));
            if (!found.equals(List.of(stored))) {
                throw new IllegalStateException(
                        String.format(
                                "the savepoint written to %s holds %d config snapshot(s) in"
                                        + " operator \"%s\" instead of the one written, so it"
                                        + " was deleted. Flink's bootstrap task ends without an"
                                        + " error when handing on the written state fails (such"
                                        + " as a Kryo copy of it), and nothing else reports it.",
                                target, found.size(), uid(operator)));
            }
        }
    }

    private static String uid(OperatorIdentifier operator) {
        return operator.getUid().orElseThrow();
    }

    /** The output path, which must not exist: a bootstrap never overwrites a savepoint. */
    private static Path newTarget(String out) throws UnusableInputException {
        Path target;
        try {
            target = SavepointLocation.toPath(out);
        } catch (IllegalArgumentException e) {
            throw new UnusableInputException(
                    out + " is not a valid path or URI: " + e.getMessage(), e);
        }
        try {
            if (target.getFileSystem().exists(target)) {
                throw new UnusableInputException(
                        out
                                + " already exists; bootstrap writes a new savepoint directory"
                                + " and never overwrites one");
            }
        } catch (IOException e) {
            throw new UnusableInputException("cannot check " + out + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** The uids of {@link #CONFIG_OPERATORS}, for messages. */
    static List<String> configOperatorUids() {
        return CONFIG_OPERATORS.stream().map(ConfigSavepointWriter::uid).toList();
    }

    /** Checked before any job runs; Flink's own check fails the writing job. */
    private static void requireValidMaxParallelism(int maxParallelism)
            throws UnusableInputException {
        if (maxParallelism < 1
                || maxParallelism > KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
            throw new UnusableInputException(
                    "max parallelism must be between 1 and "
                            + KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM
                            + ", not "
                            + maxParallelism);
        }
    }
}
