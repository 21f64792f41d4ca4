package dev.sluice.tools;

import dev.sluice.config.ConfigDiff;
import dev.sluice.config.ConfigParser;
import dev.sluice.config.ConfigReview;
import dev.sluice.config.ConfigSnapshot;
import dev.sluice.config.ConfigUpdate;
import dev.sluice.config.ConfigVerdict;
import dev.sluice.config.GuardSettings;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.VersionedConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bin/sluice config diff --current FILE --next FILE}: what an update would change and
 * whether the job would take it, decided by the same function the job uses. Touches nothing. {@code
 * bin/sluice config publish --bootstrap-servers HOST:PORT FILE}: the same review against the config
 * in force on the config topic, then the update written there under its key, only if the job would
 * take it ({@link Publish}). Exit status: 0 the job would apply it (publish: and it is published,
 * unless a dry run), 1 it would refuse or ignore it, 2 bad input or Kafka unreachable.
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        subcommands = {ConfigCommand.Diff.class, ConfigPublish.class},
        description = "Review and publish configuration changes.")
public final class ConfigCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConfigCommand()).execute(args));
    }

    /** The diff subcommand. */
    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description =
                    "Shows what NEXT (a snapshot, upsert or delete) would change in CURRENT"
                            + " and the guard's verdict.")
    static final class Diff implements Callable<Integer> {

        @Option(
                names = "--current",
                required = true,
                description = "The config in force (a snapshot).")
        Path current;

        @Option(names = "--next", required = true, description = "The update to try.")
        Path next;

        @CommandLine.Mixin GuardOptions guard;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            VersionedConfig now;
            String update;
            try {
                ConfigSnapshot snapshot = ConfigParser.parse(read(current));
                now =
                        VersionedConfig.of(
                                new ConfigUpdate.Snapshot(
                                        snapshot.version(), snapshot.jobs(), false));
                update = read(next);
            } catch (InvalidConfigException | IOException e) {
                err.println("sluice config diff: " + e.getMessage());
                return 2;
            }
            ConfigReview review = ConfigReview.of(now, update, guard.settings());
            print(out, now, review);
            return review.kind() == ConfigVerdict.Kind.ACCEPTED ? 0 : 1;
        }

        static void print(PrintWriter out, VersionedConfig now, ConfigReview review) {
            out.printf("current: version %d, %d jobs%n", now.version(), now.liveJobs().size());
            ConfigDiff d = review.diff();
            if (d != null) {
                line(out, "added", d.added());
                line(out, "removed", d.removed());
                line(out, "enabled", d.enabled());
                line(out, "disabled", d.disabled());
                line(out, "modified", d.modified());
                out.printf("enabled jobs: %d -> %d%n", d.enabledBefore(), d.enabledAfter());
            }
            out.printf("verdict: %s: %s%n", review.kind(), review.reason());
            out.flush();
        }

        private static void line(PrintWriter out, String label, List<Long> ids) {
            out.printf("%-9s %d %s%n", label, ids.size(), ids.isEmpty() ? "" : ids.toString());
        }

        static String read(Path file) throws IOException {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    /** The mass-change guard's settings, as the job is given them. */
    static final class GuardOptions {

        @Option(
                names = "--max-disable-fraction",
                defaultValue = "" + GuardSettings.DEFAULT_MAX_DISABLE_FRACTION,
                description = "Guard setting, as in the job (default: ${DEFAULT-VALUE}).")
        double maxDisableFraction;

        @Option(
                names = "--max-enable-factor",
                defaultValue = "" + GuardSettings.DEFAULT_MAX_ENABLE_FACTOR,
                description = "Guard setting, as in the job (default: ${DEFAULT-VALUE}).")
        double maxEnableFactor;

        GuardSettings settings() {
            return new GuardSettings(maxDisableFraction, maxEnableFactor);
        }
    }
}
