package dev.sluice.tests;

import dev.sluice.bench.ClusterTaskManager;
import dev.sluice.config.ConfigParser;
import dev.sluice.jobs.SluiceJobCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes deployment in {@code deploy/kubernetes/} is checked against the build, because
 * nothing else runs it here (no cluster): a manifest that drifts from the job (a renamed main
 * class, an unknown setting, a start config the job refuses, another Flink version) would only fail
 * at {@code kubectl apply} time, in the middle of an upgrade. Its arguments and settings go through
 * the job's own checks, the ones a real submission runs first.
 */
class KubernetesManifestTest {

    /** Maven runs the tests in this module's directory, one below the repository root. */
    private static final Path DIR =
            Path.of("").toAbsolutePath().getParent().resolve("deploy/kubernetes");

    private static final String MAIN_CONTAINER = "flink-main-container";

    private static JsonNode deployment;
    private static List<JsonNode> documents;

    @BeforeAll
    static void readManifest() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        documents =
                yaml.readValues(
                                yaml.createParser(DIR.resolve("sluice.yaml").toFile()),
                                JsonNode.class)
                        .readAll();
        List<JsonNode> deployments =
                documents.stream()
                        .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                        .toList();
        assertThat(deployments).hasSize(1);
        deployment = deployments.get(0);
    }

    @Test
    void isAFlinkDeploymentOfTheBuildsFlinkVersion() {
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(spec().path("flinkVersion").asText()).isEqualTo(operatorFlinkVersion());
    }

    @Test
    void upgradesWithASavepointAndHasKubernetesHa() {
        JsonNode job = spec().path("job");
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("state").asText()).isEqualTo("running");
        Map<String, String> conf = flinkConfiguration();
        assertThat(conf).containsEntry("high-availability.type", "kubernetes");
        assertThat(conf.get("high-availability.storageDir")).matches("[a-z0-9]+://.+");
        // The savepoint upgrade mode needs a savepoint directory the operator can use.
        assertThat(conf.get("execution.checkpointing.savepoint-dir")).matches("[a-z0-9]+://.+");
    }

    @Test
    void runsTheJobsEntryPoint() {
        assertThat(spec().path("job").path("entryClass").asText())
                .isEqualTo(SluiceJobCommand.class.getName());
    }

    /** The CRD declares flinkConfiguration as a map of strings: an unquoted number is refused. */
    @Test
    void flinkConfigurationValuesAreStrings() {
        spec().path("flinkConfiguration")
                .fields()
                .forEachRemaining(
                        e ->
                                assertThat(e.getValue().isTextual())
                                        .as(
                                                "flinkConfiguration %s must be a quoted string",
                                                e.getKey())
                                        .isTrue());
    }

    /**
     * The arguments and settings pass the job's own checks, as the operator deploys them:
     * job.parallelism becomes parallelism.default, and every sluice.* key of flinkConfiguration
     * also goes through the unknown-key check (which only looks at --set keys).
     */
    @Test
    void argumentsAndSettingsPassTheJobsChecks() {
        Map<String, String> conf = new LinkedHashMap<>(flinkConfiguration());
        conf.put(
                CoreOptions.DEFAULT_PARALLELISM.key(),
                spec().path("job").path("parallelism").asText());
        List<String> args = new ArrayList<>(args());
        conf.forEach(
                (key, value) -> {
                    if (key.startsWith("sluice.")) {
                        args.add("--set");
                        args.add(key + "=" + value);
                    }
                });
        SluiceJobCommand command = SluiceJobCommand.parse(args.toArray(String[]::new));
        assertThat(command.problems(Configuration.fromMap(conf))).isEmpty();
    }

    /** Rescaling is one field: nothing else may pin the parallelism or the TaskManager count. */
    @Test
    void parallelismIsSetOnlyByTheJobSpec() {
        assertThat(spec().path("job").path("parallelism").asInt()).isPositive();
        assertThat(args()).doesNotContain("--parallelism");
        assertThat(args()).noneMatch(a -> a.startsWith(CoreOptions.DEFAULT_PARALLELISM.key()));
        assertThat(flinkConfiguration()).doesNotContainKey(CoreOptions.DEFAULT_PARALLELISM.key());
        assertThat(spec().path("taskManager").has("replicas")).isFalse();
    }

    /** {@code --config} names a file of the ConfigMap mounted into the JobManager pod. */
    @Test
    void startConfigIsMountedInTheJobManagerAndValid() throws Exception {
        List<String> args = args();
        int at = args.indexOf("--config");
        assertThat(at).as("--config in job.args").isNotNegative();
        Path file = Path.of(args.get(at + 1));

        JsonNode pod = spec().path("jobManager").path("podTemplate").path("spec");
        JsonNode mount = null;
        for (JsonNode m : mainContainer(pod).path("volumeMounts")) {
            if (Path.of(m.path("mountPath").asText()).equals(file.getParent())) {
                mount = m;
            }
        }
        assertThat(mount).as("a volume mounted at %s", file.getParent()).isNotNull();
        String volume = mount.path("name").asText();
        String configMap = null;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                configMap = v.path("configMap").path("name").asText(null);
            }
        }
        assertThat(configMap).as("volume %s is a ConfigMap", volume).isNotNull();

        JsonNode data = document("ConfigMap", configMap).path("data");
        String key = file.getFileName().toString();
        assertThat(data.has(key)).as("ConfigMap %s has %s", configMap, key).isTrue();
        assertThat(ConfigParser.parse(data.path(key).asText()).jobs()).isNotEmpty();
    }

    @Test
    void prometheusPortIsAContainerPort() {
        String value = flinkConfiguration().get("metrics.reporter.prom.port");
        assertThat(value)
                .as("metrics.reporter.prom.port: one port, one process per pod")
                .matches("\\d+");
        int port = Integer.parseInt(value);
        assertThat(flinkConfiguration())
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        List<Integer> ports = new ArrayList<>();
        mainContainer(spec().path("podTemplate").path("spec"))
                .path("ports")
                .forEach(p -> ports.add(p.path("containerPort").asInt()));
        assertThat(ports).contains(port);
    }

    /** The bench gives RocksDB the managed memory of this TaskManager: they must not drift. */
    @Test
    void taskManagerIsTheOneTheBenchModels() {
        assertThat(spec().path("taskManager").path("resource").path("memory").asText())
                .isEqualTo(ClusterTaskManager.PROCESS_MEMORY.getMebiBytes() + "m");
        assertThat(flinkConfiguration())
                .containsEntry(
                        "taskmanager.numberOfTaskSlots",
                        Integer.toString(ClusterTaskManager.SLOTS));
    }

    /** s3:// state needs Flink's S3 file system, enabled on every pod, of the image's version. */
    @Test
    void s3FileSystemPluginIsEnabled() {
        String plugins = null;
        for (JsonNode env : mainContainer(spec().path("podTemplate").path("spec")).path("env")) {
            if (env.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
                plugins = env.path("value").asText();
            }
        }
        assertThat(plugins).isNotNull();
        assertThat(List.of(plugins.split(";")))
                .contains("flink-s3-fs-presto-" + EnvironmentInformation.getVersion() + ".jar");
    }

    /** Credentials are referenced, never written into the manifest. */
    @Test
    void holdsNoSecrets() {
        assertThat(documents).noneMatch(d -> d.path("kind").asText().equals("Secret"));
        assertThat(flinkConfiguration().keySet())
                .noneMatch(k -> k.contains("secret") || k.contains("access-key"));
        List<String> secrets = new ArrayList<>();
        mainContainer(spec().path("podTemplate").path("spec"))
                .path("envFrom")
                .forEach(e -> secrets.add(e.path("secretRef").path("name").asText()));
        assertThat(secrets).isNotEmpty().doesNotContain("");
    }

    @Test
    void dockerfileBuildsTheImageTheManifestExpects() throws IOException {
        String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile);
        assertThat(from.find()).isTrue();
        assertThat(from.group(1))
                .isEqualTo("flink:" + EnvironmentInformation.getVersion() + "-java17");

        String jarUri = spec().path("job").path("jarURI").asText();
        assertThat(jarUri).startsWith("local://");
        Matcher copy =
                Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$")
                        .matcher(dockerfile);
        assertThat(copy.find()).isTrue();
        assertThat(copy.group(1)).matches("jobs/target/sluice-jobs-.*-job\\.jar");
        assertThat(copy.group(2)).isEqualTo(jarUri.substring("local://".length()));
    }

    /** The operator's name for a Flink minor version: 2.2.0 is v2_2. */
    private static String operatorFlinkVersion() {
        String version = EnvironmentInformation.getVersion();
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\..*").matcher(version);
        assertThat(m.matches()).as("Flink version %s", version).isTrue();
        return "v" + m.group(1) + "_" + m.group(2);
    }

    private static JsonNode spec() {
        return deployment.path("spec");
    }

    private static Map<String, String> flinkConfiguration() {
        Map<String, String> conf = new LinkedHashMap<>();
        spec().path("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
        return conf;
    }

    private static List<String> args() {
        List<String> args = new ArrayList<>();
        spec().path("job").path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static JsonNode mainContainer(JsonNode podSpec) {
        for (JsonNode c : podSpec.path("containers")) {
            if (c.path("name").asText().equals(MAIN_CONTAINER)) {
                return c;
            }
        }
        throw new AssertionError("no " + MAIN_CONTAINER + " in " + podSpec);
    }

    private static JsonNode document(String kind, String name) {
        Optional<JsonNode> found =
                documents.stream()
                        .filter(d -> d.path("kind").asText().equals(kind))
                        .filter(d -> d.path("metadata").path("name").asText().equals(name))
                        .findFirst();
        assertThat(found).as("%s %s in sluice.yaml", kind, name).isPresent();
        return found.get();
    }
}
