package dev.sluice.tools;

import dev.sluice.config.DeliveryJob;
import dev.sluice.config.GuardSettings;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.status.JobState;
import dev.sluice.status.JobStatus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code bin/sluice jobs status}: each delivery job's status, as Logpush's job API shows it, from
 * the job's compacted status topic (what the sink saw: last delivery, last failure and why) joined
 * with the config in force on the config topic (customer, enabled). Exit status: 0, or 2 when Kafka
 * or the topics cannot be read.
 */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        subcommands = JobsCommand.Status.class,
        description = "Delivery jobs as the running job sees them.")
public final class JobsCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new JobsCommand()).execute(args));
    }

    /** The status subcommand. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Each delivery job's state, last_complete, last_error and error_message (times"
                            + " in UTC), as a table or, with --json, a JSON array.")
    static final class Status implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();

        @CommandLine.Mixin ConfigTopicOptions kafka;

        @Option(names = "--job", description = "Only this job id.")
        Long job;

        @Option(names = "--customer", description = "Only this customer's jobs.")
        String customer;

        @Option(names = "--failing", description = "Only failing jobs.")
        boolean failing;

        @Option(names = "--json", description = "A JSON array instead of a table.")
        boolean json;

        @Option(
                names = "--status-topic",
                description = "The job's status topic (default: ${DEFAULT-VALUE}).")
        String statusTopic = SluiceOptions.STATUS_TOPIC.defaultValue();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<JobStatusRow> rows;
            try {
                rows = rows();
            } catch (IOException | InvalidConfigException | RuntimeException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("sluice jobs status: " + e.getMessage());
                err.flush();
                return 2;
            }
            if (json) {
                ArrayNode array = JSON.createArrayNode();
                rows.forEach(r -> array.add(r.toJson()));
                out.println(array.toPrettyString());
            } else {
                StatusTable.print(out, rows, System.currentTimeMillis());
            }
            out.flush();
            return 0;
        }

        private List<JobStatusRow> rows() throws IOException, InvalidConfigException {
            Map<Long, JobStatus> statuses = statuses();
            Map<Long, DeliveryJob> jobs = new TreeMap<>();
            GuardSettings guard =
                    new GuardSettings(
                            GuardSettings.DEFAULT_MAX_DISABLE_FRACTION,
                            GuardSettings.DEFAULT_MAX_ENABLE_FACTOR);
            kafka.configInForce(guard).config().liveJobs().forEach(j -> jobs.put(j.id(), j));
            Map<Long, JobStatusRow> all = new TreeMap<>();
            jobs.forEach((id, j) -> all.put(id, new JobStatusRow(id, j, statuses.get(id))));
            statuses.forEach((id, s) -> all.putIfAbsent(id, new JobStatusRow(id, null, s)));
            List<JobStatusRow> shown = new ArrayList<>();
            for (JobStatusRow r : all.values()) {
                if ((job == null || r.id() == job)
                        && (customer == null || Objects.equals(customer, r.customerId()))
                        && (!failing || r.state().equals(JobState.FAILING.label()))) {
                    shown.add(r);
                }
            }
            return shown;
        }

        /** The newest status of each job on the topic; a value that is not one is skipped. */
        private Map<Long, JobStatus> statuses() throws IOException {
            Map<Long, JobStatus> latest = new TreeMap<>();
            int unreadable = 0;
            for (ConsumerRecord<byte[], byte[]> r :
                    TopicReader.readAll(kafka.bootstrapServers, statusTopic)) {
                if (r.value() == null) {
                    continue;
                }
                try {
                    JobStatus s = JobStatus.fromJson(r.value());
                    latest.put(s.jobId(), s);
                } catch (IOException e) {
                    unreadable++;
                }
            }
            if (unreadable > 0) {
                PrintWriter err = spec.commandLine().getErr();
                err.printf(
                        "sluice jobs status: %d record(s) of %s are not job statuses; skipped%n",
                        unreadable, statusTopic);
                err.flush();
            }
            return latest;
        }
    }
}
