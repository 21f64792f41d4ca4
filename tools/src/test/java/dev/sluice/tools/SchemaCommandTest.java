package dev.sluice.tools;

import dev.sluice.route.WriterSchemas;
import dev.sluice.schemas.SingleObjectEncoding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code schema publish} checks locally first: an incompatible schema is refused and a dry run
 * publishes nothing, both without a broker (nothing listens on the address given).
 */
class SchemaCommandTest {

    private static final String NO_BROKER = "127.0.0.1:1";

    /** The reader schema plus a field with a default: compatible. */
    private static final String NEWER =
            WriterSchemas.READER
                    .toString()
                    .replace(
                            "\"default\":{}",
                            "\"default\":{}},{\"name\":\"colo\",\"type\":\"string\","
                                    + "\"default\":\"\"");

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();

    private int publish(String schema, String... options) throws Exception {
        Path file = Files.writeString(dir.resolve("log_event.avsc"), schema);
        CommandLine cli = new CommandLine(new SchemaCommand());
        cli.setOut(new PrintWriter(out));
        String[] args = new String[options.length + 4];
        args[0] = "publish";
        args[1] = "--bootstrap-servers";
        args[2] = NO_BROKER;
        System.arraycopy(options, 0, args, 3, options.length);
        args[args.length - 1] = file.toString();
        return cli.execute(args);
    }

    @Test
    void aDryRunPrintsTheFingerprintAndTheDifferences() throws Exception {
        assertThat(NEWER).contains("colo");

        assertThat(publish(NEWER, "--dry-run")).isZero();
        assertThat(out.toString())
                .startsWith("fingerprint: ")
                .contains("+ colo (\"string\"): not in the reader, skipped")
                .contains("not published (--dry-run)");
    }

    @Test
    void refusesAnIncompatibleSchemaBeforeAnyBroker() throws Exception {
        String noTimestamp = NEWER.replace("timestamp_micros", "time");

        assertThat(publish(noTimestamp)).isEqualTo(1);
        assertThat(out.toString()).contains("refused: incompatible with the reader schema");
    }

    @Test
    void theReaderSchemaNeedsNoPublishing() throws Exception {
        assertThat(publish(WriterSchemas.READER.toString())).isZero();
        assertThat(out.toString())
                .contains(SingleObjectEncoding.hex(WriterSchemas.READER_FINGERPRINT))
                .contains("nothing to publish");
    }
}
