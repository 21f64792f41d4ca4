package dev.sluice.tools;

import dev.sluice.jobs.DurationConverter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/**
 * {@code bin/sluice dead-letters replay}: sends dead letters back to the logs topic once their
 * writer schema is published; what a run promises is in {@link DeadLetterReplay}. Exit status: 0
 * done, 1 a Kafka failure (the interrupted transaction's sends are never read: run again), 2 bad
 * arguments.
 */
@Command(
        name = "dead-letters",
        mixinStandardHelpOptions = true,
        subcommands = DeadLettersCommand.Replay.class,
        description = "The dead-letter topic.")
public final class DeadLettersCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeadLettersCommand()).execute(args));
    }

    /** The replay subcommand. */
    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Sends dead letters whose writer schema the job now knows back to the logs topic.",
                "Each letter is sent once: a run records how far it got, in Kafka transactions"
                        + " with its sends; a run again sends only letters that came since.",
                "Letters whose schema is still unknown move to the end of the dead-letter topic,"
                        + " for a later run."
            })
    static final class Replay implements Callable<Integer> {

        @CommandLine.Mixin KafkaOptions kafka;

        @Option(
                names = "--reason",
                paramLabel = "REASON",
                defaultValue = "unknown-schema",
                description =
                        "Letters of this reason: unknown-schema (default), or the start of a"
                                + " reason as its header sluice.reason has it.")
        String reason;

        @Option(
                names = "--since",
                paramLabel = "TIME",
                description =
                        "Only letters dead-lettered since TIME: an instant"
                                + " (2026-12-06T10:00:00Z) or a duration ago (30m, 2h).")
        String since;

        @Option(
                names = "--dlq-topic",
                paramLabel = "TOPIC",
                defaultValue = "sluice-dead-letters",
                description = "The job's sluice.kafka.dlq-topic (default: ${DEFAULT-VALUE}).")
        String deadLetterTopic;

        @Option(
                names = "--logs-topic",
                paramLabel = "TOPIC",
                defaultValue = "sluice-logs",
                description = "The job's sluice.kafka.logs-topic (default: ${DEFAULT-VALUE}).")
        String logsTopic;

        @Option(
                names = "--progress-group",
                paramLabel = "ID",
                defaultValue = "sluice-dead-letter-replay",
                description =
                        "Consumer group and transactional id that hold how far replays got"
                                + " (default: ${DEFAULT-VALUE}).")
        String progressGroup;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Instant from;
            try {
                from = since == null ? null : instant(since);
            } catch (CommandLine.TypeConversionException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            DeadLetterReplay.Settings settings =
                    new DeadLetterReplay.Settings(
                            kafka.bootstrapServers,
                            deadLetterTopic,
                            logsTopic,
                            "unknown-schema".equals(reason)
                                    ? DeadLetterReplay.UNKNOWN_SCHEMA
                                    : reason,
                            from,
                            progressGroup);
            DeadLetterReplay.Totals totals =
                    new DeadLetterReplay(settings)
                            .run(
                                    KnownSchemas.read(kafka.bootstrapServers, kafka.schemaTopic)
                                            .fingerprints());
            out.printf(
                    "replayed %d; waiting for their schema %d (moved to the end of %s);"
                            + " passed over %d%n",
                    totals.replayed(), totals.waiting(), deadLetterTopic, totals.passedOver());
            out.flush();
            return 0;
        }

        /** An ISO-8601 instant, or a duration before now. */
        static Instant instant(String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return Instant.now().minus(DurationConverter.parse(text));
            }
        }
    }
}
