package dev.sluice.tools;

import dev.sluice.route.WriterSchemaVerdict;
import dev.sluice.route.WriterSchemas;
import dev.sluice.schemas.SingleObjectEncoding;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code bin/sluice schema publish|list}: writer schemas for forwarders that upgrade before the
 * job. {@code publish} reviews a schema with the job's own review (it must resolve into the job's
 * reader schema), prints its fingerprint and what differs, and writes it to the compacted schema
 * topic, keyed by fingerprint, creating the topic if needed; {@code list} shows what the topic
 * gives the job. Exit status: 0 done, 1 refused (incompatible) or a Kafka failure, 2 bad input.
 */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        subcommands = {SchemaCommand.Publish.class, SchemaCommand.ListSchemas.class},
        description = "Writer schemas the job decodes besides its own (the schema topic).")
public final class SchemaCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SchemaCommand()).execute(args));
    }

    /** The publish subcommand. */
    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description =
                    "Checks FILE.avsc against the job's reader schema, prints its fingerprint and"
                            + " what differs, and publishes it.")
    static final class Publish implements Callable<Integer> {

        @CommandLine.Mixin KafkaOptions kafka;

        @Parameters(paramLabel = "FILE.avsc", description = "The forwarders' new LogEvent schema.")
        Path file;

        @Option(names = "--dry-run", description = "Check and print, publish nothing.")
        boolean dryRun;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String json;
            try {
                json = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                spec.commandLine().getErr().println("sluice schema publish: " + e);
                return 2;
            }
            WriterSchemaVerdict verdict = WriterSchemas.review(json);
            out.println("fingerprint: " + verdict.fingerprintHex());
            if (!verdict.isAccepted()) {
                out.println("refused: " + verdict.reason());
                return 1;
            }
            printDifferences(out, verdict);
            if (verdict.fingerprint() == WriterSchemas.READER_FINGERPRINT) {
                out.println("this is the job's own schema: nothing to publish");
            } else if (dryRun) {
                out.println("compatible; not published (--dry-run)");
            } else {
                publish(verdict);
                out.println("published to " + kafka.schemaTopic);
            }
            out.flush();
            return 0;
        }

        /** The schema as compact JSON, keyed by its fingerprint: compaction keeps one of each. */
        private void publish(WriterSchemaVerdict verdict) throws Exception {
            KafkaClients.createCompacted(kafka.bootstrapServers, kafka.schemaTopic);
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(KafkaClients.producerProps(kafka.bootstrapServers))) {
                producer.send(
                                new ProducerRecord<>(
                                        kafka.schemaTopic,
                                        utf8(verdict.fingerprintHex()),
                                        utf8(verdict.schema().toString())))
                        .get();
            }
        }
    }

    /** The list subcommand. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Lists the job's own schema and every schema on the topic, with the job's"
                            + " verdict on each.")
    static final class ListSchemas implements Callable<Integer> {

        @CommandLine.Mixin KafkaOptions kafka;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "%s  built in  the job's reader schema%n",
                    SingleObjectEncoding.hex(WriterSchemas.READER_FINGERPRINT));
            for (KnownSchemas.Entry e :
                    KnownSchemas.read(kafka.bootstrapServers, kafka.schemaTopic).entries()) {
                WriterSchemaVerdict v = e.verdict();
                if (v == null) {
                    out.printf("%-16s  ignored   a tombstone at offset %d%n", "-", e.offset());
                } else if (v.isAccepted()) {
                    out.printf("%s  decoded%n", v.fingerprintHex());
                    printDifferences(out, v);
                } else {
                    out.printf("%s  refused   %s%n", v.fingerprintHex(), v.reason());
                }
            }
            out.flush();
            return 0;
        }
    }

    private static void printDifferences(PrintWriter out, WriterSchemaVerdict verdict) {
        if (verdict.differences().isEmpty()) {
            out.println("    no difference from the reader schema");
        }
        for (String difference : verdict.differences()) {
            out.println("    " + difference);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
