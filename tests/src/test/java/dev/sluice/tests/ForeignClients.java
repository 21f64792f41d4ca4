package dev.sluice.tests;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka clients people outside the JVM use, run as processes: {@code kcat} (librdkafka) and a
 * Python producer (confluent-kafka and the Avro library). CI installs them (Debian's {@code kcat},
 * {@code python3-confluent-kafka}, {@code python3-avro}); elsewhere a test without them is skipped,
 * but under {@code CI=true} it fails, so CI cannot pass without running it.
 */
final class ForeignClients {

    private static final long TIMEOUT_SECONDS = 60;

    private ForeignClients() {}

    /**
     * Pythons to try: the one on the PATH, and the system's, where Debian's packages are (a Python
     * version manager's shim may come first on the PATH).
     */
    private static final List<String> PYTHONS = List.of("python3", "/usr/bin/python3");

    private static String python;

    /** Skips the calling test where the clients are missing, except in CI. */
    static void require() throws Exception {
        for (String candidate : PYTHONS) {
            if (python == null
                    && run(List.of(candidate, "-c", "import avro.io, confluent_kafka"), null).exit
                            == 0) {
                python = candidate;
            }
        }
        boolean present = run(List.of("kcat", "-V"), null).exit == 0 && python != null;
        if ("true".equals(System.getenv("CI"))) {
            assertThat(present)
                    .as("kcat, python3-confluent-kafka and python3-avro are installed (.ci/run)")
                    .isTrue();
        }
        Assumptions.assumeTrue(present, "kcat or the Python Kafka/Avro packages are missing");
    }

    /**
     * Produces {@code lines} with kcat, each {@code KEY|VALUE} ({@code -K '|'}); an empty value is
     * a tombstone ({@code -Z}: empty means null).
     */
    static void kcatProduce(String bootstrap, String topic, List<String> lines) throws Exception {
        String input = String.join("\n", lines) + "\n";
        Result r =
                run(
                        List.of("kcat", "-P", "-b", bootstrap, "-t", topic, "-K", "|", "-Z"),
                        input.getBytes(StandardCharsets.UTF_8));
        assertThat(r.exit).as("kcat: %s", r.output).isZero();
    }

    /** {@code count} LogEvents of {@code customer} from the Python producer. */
    static void pythonProduceLogEvents(String bootstrap, String topic, String customer, int count)
            throws Exception {
        Path script =
                RepositoryPaths.root()
                        .resolve("tests/src/test/resources/clients/produce_log_events.py");
        Path schema = RepositoryPaths.root().resolve("schemas/src/main/avro/log_event.avsc");
        Result r =
                run(
                        List.of(
                                python,
                                script.toString(),
                                bootstrap,
                                topic,
                                schema.toString(),
                                customer,
                                Integer.toString(count)),
                        null);
        assertThat(r.exit).as("python producer: %s", r.output).isZero();
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, byte[] stdin) throws Exception {
        Path log = Files.createTempFile("foreign-client", ".log");
        try {
            Process p;
            try {
                p =
                        new ProcessBuilder(new ArrayList<>(command))
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile())
                                .start();
            } catch (IOException e) {
                return new Result(127, e.getMessage());
            }
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
