package dev.sluice.jobs;

import dev.sluice.config.InvalidConfigException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Entry point of the job on a Flink cluster.
 *
 * <pre>
 *   flink run sluice-jobs.jar --config jobs.json \
 *       --set sluice.kafka.bootstrap-servers=kafka:9092 --set sluice.kafka.logs-topic=logs
 * </pre>
 *
 * <p>{@code --config} is validated before anything is submitted: the job refuses to start without a
 * valid configuration. It may be left out only when the job is restored from a savepoint ( {@code
 * flink run -s}, or {@code --set execution.state-recovery.path=…}) that holds a config, such as one
 * written by {@code bin/sluice savepoint bootstrap}. Every other setting, Sluice's ({@link
 * SluiceOptions}) or Flink's, is a {@code --set KEY=VALUE}.
 */
@Command(
        name = "sluice-job",
        mixinStandardHelpOptions = true,
        description = "Delivers forwarded logs from Kafka to object storage, exactly once.")
public final class SluiceJobCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            description =
                    "Start config snapshot (JSON); optional only when restoring a savepoint that"
                            + " holds one.")
    Path config;

    @Option(names = "--set", description = "KEY=VALUE of a Sluice or Flink setting; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new SluiceJobCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String startConfig = null;
        if (config != null) {
            try {
                startConfig = SluiceJob.readStartConfig(config);
            } catch (InvalidConfigException | IOException e) {
                System.err.println("sluice: not starting: " + config + ": " + e.getMessage());
                return 2;
            }
        }
        Configuration conf = SluiceJob.withDefaults(Configuration.fromMap(settings));
        if (conf.getOptional(SluiceOptions.BOOTSTRAP_SERVERS).isEmpty()) {
            System.err.println(
                    "sluice: not starting: --set "
                            + SluiceOptions.BOOTSTRAP_SERVERS.key()
                            + "=HOST:PORT is required");
            return 2;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (startConfig == null
                && env.getConfiguration()
                        .getOptional(StateRecoveryOptions.SAVEPOINT_PATH)
                        .isEmpty()) {
            System.err.println(
                    "sluice: not starting: no --config and no savepoint to restore (flink run -s,"
                        + " or --set execution.state-recovery.path=…); the job never runs without a"
                        + " configuration");
            return 2;
        }
        SluiceJob.define(env, conf, startConfig);
        env.execute("sluice");
        return 0;
    }
}
