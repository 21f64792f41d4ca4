package dev.sluice.local;

import dev.sluice.config.Destination;
import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.route.RouteFunction;
import dev.sluice.tools.ConfigInForce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One local run: Kafka broker, S3 server and the job on a MiniCluster, with the generator feeding
 * Kafka, progress printed while it runs, a stop with drain at the end, and a summary read back from
 * the bucket.
 */
public final class LocalRun {

    private static final String MARKER = ".sluice-local";

    /**
     * The S3 server's key id; named by reference only (credentials=local) in what the run keeps.
     */
    public static final String ACCESS_KEY = "sluice-local-key";

    /**
     * The S3 server's secret; named by reference only (credentials=local) in what the run keeps.
     */
    public static final String SECRET_KEY = "sluice-local-secret";

    private static final long PROGRESS_MILLIS = 5_000;
    private static final long SEED = 14_11_2024L;

    private final LocalSettings settings;
    private final PrintStream out;
    private final CountDownLatch stop = new CountDownLatch(1);

    public LocalRun(LocalSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Ends the run early (still with a drain and a summary). */
    public void requestStop() {
        stop.countDown();
    }

    /** Where the local run parks batches of a failing destination, unless configured. */
    static final String PARKED_BUCKET = "sluice-parked";

    /** Where the local run writes each object's manifest, unless configured. */
    static final String MANIFEST_BUCKET = "sluice-manifests";

    /**
     * Points an unset destination option at a bucket of the embedded S3 server; returns whether it
     * did (then the run can read the bucket back).
     */
    private static boolean useLocalBucket(
            Configuration conf, EmbeddedS3 s3, ConfigOption<String> option, String bucket) {
        if (!conf.get(option).isEmpty()) {
            return false;
        }
        s3.createBucket(bucket);
        conf.set(
                option,
                s3.namedDestination(
                        bucket + "/" + bucket.substring("sluice-".length()),
                        LocalCredentials.NAME));
        return true;
    }

    public LocalSummary run() throws Exception {
        Path data = prepareDataDir(settings.dataDir());
        try (LocalCredentials credentials =
                        LocalCredentials.write(
                                settings.credentialsDir(), data, ACCESS_KEY, SECRET_KEY);
                EmbeddedKafka kafka =
                        EmbeddedKafka.start(settings.kafkaPort(), data.resolve("kafka"));
                EmbeddedS3 s3 =
                        EmbeddedS3.start(
                                settings.s3Port(), data.resolve("s3"), ACCESS_KEY, SECRET_KEY);
                S3Client s3Client = s3.newClient()) {
            Configuration conf = flinkConfiguration(kafka, data);
            createTopics(kafka, conf);
            s3.createBucket(SampleConfig.BUCKET);
            boolean localPark =
                    useLocalBucket(conf, s3, SluiceOptions.PARK_DESTINATION, PARKED_BUCKET);
            useLocalBucket(conf, s3, SluiceOptions.MANIFEST_DESTINATION, MANIFEST_BUCKET);
            List<String> customers = SampleConfig.customers(settings.customers());
            String startConfig =
                    SampleConfig.snapshot(
                            customers, s3, LocalCredentials.NAME, settings.maxUploadRecords());
            Files.writeString(data.resolve("config.json"), startConfig, StandardCharsets.UTF_8);

            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            SluiceJob.define(env, conf, startConfig);
            JobClient job = env.executeAsync("sluice-local");
            printAddresses(kafka, s3, conf, data, credentials);

            BucketReader bucket = new BucketReader(s3Client, SampleConfig.BUCKET);
            Progress progress = new Progress(bucket, out);
            try (LogProducer producer =
                    new LogProducer(
                            kafka.bootstrapServers(),
                            conf.get(SluiceOptions.LOGS_TOPIC),
                            new HttpLogGenerator(customers, SEED))) {
                Thread generator = startGenerator(producer);
                awaitEnd(job, progress, producer);
                producer.stop();
                generator.join();
                out.printf("Stopping with drain: final batches are flushed and committed...%n");
                job.stopWithSavepoint(
                                true,
                                data.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
                JobExecutionResult result = job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
                progress.collect();
                Map<Long, Long> parked = localPark ? parkedRecords(s3Client) : Map.of();
                LocalSummary summary =
                        summarize(result, servedJobs(kafka, conf, data), progress, parked, s3);
                writeSummary(summary);
                progress.printFinal(producer.produced(), summary);
                return summary;
            }
        }
    }

    /** The settings file, then what the local run owns (ports, directories, Kafka), then --set. */
    private Configuration flinkConfiguration(EmbeddedKafka kafka, Path data) {
        Configuration conf =
                settings.flinkConfDir() != null && Files.isDirectory(settings.flinkConfDir())
                        ? GlobalConfiguration.loadConfiguration(settings.flinkConfDir().toString())
                        : new Configuration();
        conf.set(RestOptions.PORT, settings.webPort());
        if (!conf.contains(CoreOptions.DEFAULT_PARALLELISM)) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        }
        keepCheckpointsUnder(conf, data);
        conf.set(SluiceOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.addAll(Configuration.fromMap(settings.settings()));
        return SluiceJob.withDefaults(conf);
    }

    /**
     * Checkpoints and savepoints in {@code checkpoints/} and {@code savepoints/} of {@code data}.
     */
    public static void keepCheckpointsUnder(Configuration conf, Path data) {
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                data.resolve("checkpoints").toUri().toString());
        conf.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                data.resolve("savepoints").toUri().toString());
    }

    private static void createTopics(EmbeddedKafka kafka, Configuration conf) {
        kafka.createTopic(conf.get(SluiceOptions.LOGS_TOPIC), 2);
        kafka.createCompactedTopic(conf.get(SluiceOptions.CONFIG_TOPIC));
        kafka.createCompactedTopic(conf.get(SluiceOptions.SCHEMA_TOPIC));
        kafka.createTopic(conf.get(SluiceOptions.DLQ_TOPIC), 1);
        kafka.createCompactedTopic(conf.get(SluiceOptions.STATUS_TOPIC));
    }

    private Thread startGenerator(LogProducer producer) {
        Thread thread =
                new Thread(
                        () -> {
                            if (settings.generator()) {
                                producer.produceAtRate(settings.rate());
                            }
                        },
                        "sluice-generator");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void awaitEnd(JobClient job, Progress progress, LogProducer producer) throws Exception {
        long deadline =
                settings.duration().isZero()
                        ? Long.MAX_VALUE
                        : System.currentTimeMillis() + settings.duration().toMillis();
        long started = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            long wait = Math.min(PROGRESS_MILLIS, deadline - System.currentTimeMillis());
            if (stop.await(Math.max(wait, 1), TimeUnit.MILLISECONDS)) {
                return;
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException(
                        "the job ended on its own: " + job.getJobStatus().get());
            }
            progress.print(
                    System.currentTimeMillis() - started, producer.produced(), accumulators(job));
        }
    }

    private static Map<String, Object> accumulators(JobClient job) {
        try {
            return job.getAccumulators().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Map.of();
        }
    }

    private void printAddresses(
            EmbeddedKafka kafka,
            EmbeddedS3 s3,
            Configuration conf,
            Path data,
            LocalCredentials credentials) {
        out.printf("Sluice local run%n");
        out.printf("  Flink web UI     http://127.0.0.1:%d%n", conf.get(RestOptions.PORT));
        String metricsPort = conf.toMap().get("metrics.reporter.prom.port");
        if (metricsPort != null) {
            out.printf("  Metrics          http://127.0.0.1:%s/metrics%n", metricsPort);
        }
        out.printf(
                "  Kafka bootstrap  %s  (topics %s, %s, %s, %s, %s)%n",
                kafka.bootstrapServers(),
                conf.get(SluiceOptions.LOGS_TOPIC),
                conf.get(SluiceOptions.CONFIG_TOPIC),
                conf.get(SluiceOptions.SCHEMA_TOPIC),
                conf.get(SluiceOptions.DLQ_TOPIC),
                conf.get(SluiceOptions.STATUS_TOPIC));
        out.printf(
                "  Schemas          bin/sluice schema publish --bootstrap-servers %s%s FILE.avsc%n",
                kafka.bootstrapServers(),
                topicOption("--schema-topic", conf, SluiceOptions.SCHEMA_TOPIC));
        out.printf(
                "  Dead letters     bin/sluice dead-letters replay --bootstrap-servers %s%s%n",
                kafka.bootstrapServers(),
                topicOption("--dlq-topic", conf, SluiceOptions.DLQ_TOPIC)
                        + topicOption("--logs-topic", conf, SluiceOptions.LOGS_TOPIC)
                        + topicOption("--schema-topic", conf, SluiceOptions.SCHEMA_TOPIC));
        out.printf(
                "  S3 endpoint      %s  (bucket %s, access key %s, secret %s)%n",
                s3.endpoint(), SampleConfig.BUCKET, s3.accessKey(), s3.secretKey());
        out.printf(
                "  Credentials      %s  (credentials=%s%s; SLUICE_CREDENTIALS_DIR=%1$s for"
                        + " bin/sluice redrive)%n",
                credentials.dir(),
                LocalCredentials.NAME,
                settings.credentialsDir() == null ? ", deleted after the run" : "");
        out.printf("  Objects on disk  %s%n", s3.bucketDir().resolve(SampleConfig.BUCKET));
        out.printf(
                "  Parked, manifests %s, %s%n",
                Destination.redact(conf.get(SluiceOptions.PARK_DESTINATION)),
                Destination.redact(conf.get(SluiceOptions.MANIFEST_DESTINATION)));
        out.printf("  Config           %s%n", data.resolve("config.json"));
        String start = " --start-config " + data.resolve("config.json");
        String configTopic = topicOption("--config-topic", conf, SluiceOptions.CONFIG_TOPIC);
        out.printf(
                "  Publish config   bin/sluice config publish --bootstrap-servers %s%s%s FILE%n",
                kafka.bootstrapServers(), configTopic, start);
        out.printf(
                "  Job status       bin/sluice jobs status --bootstrap-servers %s%s%s%s%n",
                kafka.bootstrapServers(),
                topicOption("--status-topic", conf, SluiceOptions.STATUS_TOPIC),
                configTopic,
                start);
        out.printf(
                "  Settings         %s%n",
                settings.flinkConfDir() != null && Files.isDirectory(settings.flinkConfDir())
                        ? settings.flinkConfDir().resolve("config.yaml")
                        : "built-in defaults");
        out.printf(
                "  Duration         %s%n%n",
                settings.duration().isZero()
                        ? "until Ctrl-C"
                        : settings.duration().toSeconds() + " s");
    }

    /** {@code option} with the topic when it is not the default, which the command assumes. */
    private static String topicOption(
            String option,
            Configuration conf,
            org.apache.flink.configuration.ConfigOption<String> topic) {
        String name = conf.get(topic);
        return name.equals(topic.defaultValue()) ? "" : " " + option + " " + name;
    }

    /**
     * Every delivery job of the run, by id, with its customer: the start config's, and those added
     * or changed through the config topic, as the job took them (the config in force).
     */
    private static Map<Long, String> servedJobs(EmbeddedKafka kafka, Configuration conf, Path data)
            throws Exception {
        Map<Long, String> jobs = new TreeMap<>();
        ConfigInForce.read(
                        kafka.bootstrapServers(),
                        conf.get(SluiceOptions.CONFIG_TOPIC),
                        data.resolve("config.json"),
                        SluiceOptions.guard(conf))
                .config()
                .entries()
                .stream()
                .filter(e -> e.job() != null)
                .forEach(e -> jobs.put(e.id(), e.job().customerId()));
        return jobs;
    }

    /** Records parked per job, read back from the run's park bucket. */
    private static Map<Long, Long> parkedRecords(S3Client s3Client) {
        Map<Long, Long> parked = new HashMap<>();
        for (DeliveredObject o : new BucketReader(s3Client, PARKED_BUCKET).readNew()) {
            parked.merge(o.jobId(), o.records(), Long::sum);
        }
        return parked;
    }

    private LocalSummary summarize(
            JobExecutionResult result,
            Map<Long, String> served,
            Progress progress,
            Map<Long, Long> parked,
            EmbeddedS3 s3) {
        Ledger ledger =
                new Ledger(
                        counts(result, RouteFunction.ROUTED_BY_JOB),
                        counts(result, RouteFunction.FILTERED_BY_JOB),
                        counts(result, RouteFunction.SAMPLED_OUT_BY_JOB));
        Map<String, Long> unconfigured = counts(result, RouteFunction.UNCONFIGURED_BY_CUSTOMER);
        // A job that took records, delivered or parked some is one the run served, even if the
        // config in force at the end no longer names it.
        Set<Long> ids = new TreeSet<>(served.keySet());
        ledger.jobs().forEach(ids::add);
        ids.addAll(progress.jobs());
        ids.addAll(parked.keySet());
        List<LocalSummary.Job> jobs = new ArrayList<>();
        for (long id : ids) {
            jobs.add(
                    jobSummary(
                            id,
                            served.get(id),
                            ledger,
                            progress.objectsOf(id),
                            parked.getOrDefault(id, 0L)));
        }
        long dropped = unconfigured.values().stream().mapToLong(Long::longValue).sum();
        return new LocalSummary(
                jobs,
                new LocalSummary.Unconfigured(dropped, unconfigured.size()),
                s3.bucketDir().toAbsolutePath().toString());
    }

    /** The router's counts per job id: what it sent on, what the filter and sampling kept back. */
    private record Ledger(
            Map<String, Long> routed, Map<String, Long> filtered, Map<String, Long> sampledOut) {

        long of(Map<String, Long> counts, long jobId) {
            return counts.getOrDefault(Long.toString(jobId), 0L);
        }

        /** The jobs the router counted anything for. */
        Stream<Long> jobs() {
            return Stream.of(routed, filtered, sampledOut)
                    .flatMap(m -> m.keySet().stream())
                    .map(Long::parseLong);
        }
    }

    private static LocalSummary.Job jobSummary(
            long jobId,
            String customer,
            Ledger ledger,
            List<DeliveredObject> objects,
            long parked) {
        List<LocalSummary.ObjectEntry> entries = new ArrayList<>();
        long delivered = 0;
        for (DeliveredObject o : objects) {
            entries.add(new LocalSummary.ObjectEntry(o.key(), o.records(), o.bytes()));
            delivered += o.records();
        }
        entries.sort(Comparator.comparing(LocalSummary.ObjectEntry::key));
        long filtered = ledger.of(ledger.filtered(), jobId);
        long sampledOut = ledger.of(ledger.sampledOut(), jobId);
        long in = ledger.of(ledger.routed(), jobId) + filtered + sampledOut;
        return new LocalSummary.Job(
                jobId, customer, in, delivered, filtered, sampledOut, parked, entries);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> counts(JobExecutionResult result, String name) {
        Object value = result.getAllAccumulatorResults().get(name);
        return value == null ? new HashMap<>() : (Map<String, Long>) value;
    }

    private void writeSummary(LocalSummary summary) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path file =
                settings.summaryJson() != null
                        ? settings.summaryJson()
                        : settings.dataDir().resolve("summary.json");
        mapper.writeValue(file.toFile(), summary);
        out.printf("Summary written to %s%n", file);
    }

    /**
     * The data directory, emptied of a previous local run. A non-empty directory that is not a
     * previous run's is refused rather than cleared.
     */
    static Path prepareDataDir(Path dir) throws IOException {
        if (Files.isDirectory(dir) && !isEmpty(dir)) {
            if (!Files.exists(dir.resolve(MARKER))) {
                throw new IllegalArgumentException(
                        dir
                                + " is not empty and not a Sluice data directory; choose another"
                                + " --data-dir");
            }
            FileTrees.deleteTree(dir);
        }
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(MARKER), "data of a bin/sluice local run; cleared by the next\n");
        return dir;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
