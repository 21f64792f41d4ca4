package dev.sluice.jobs;

import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.StartConfig;

import org.apache.flink.api.common.cache.DistributedCache;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start config travels as a distributed-cache file, never inside the job graph: at a million
 * jobs it is over 500 MB, and inside the functions it was serialized into every operator.
 */
class StartConfigShippingTest {

    /** Appears in the config only, so finding it in the job graph means the config is in there. */
    private static final String MARKER = "only-in-the-start-config-7f3e9c";

    private static final String CONFIG =
            "{\"version\":1,\"jobs\":[{\"id\":1,\"customer_id\":\""
                    + MARKER
                    + "\",\"dataset\":\"http_requests\","
                    + "\"destination_conf\":\"s3://logs-bucket/a\"}]}";

    private static final String BOOTSTRAP = "127.0.0.1:19092";

    @TempDir Path dir;

    private static Configuration conf() {
        Configuration conf = SluiceJob.withDefaults(new Configuration());
        conf.set(SluiceOptions.BOOTSTRAP_SERVERS, BOOTSTRAP);
        return conf;
    }

    @Test
    void aStartConfigGivenAsJsonTravelsAsAFileBesideTheJobGraph() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf());
        SluiceJob.define(env, conf(), CONFIG);
        JobGraph graph = env.getStreamGraph().getJobGraph();

        String serialized =
                new String(InstantiationUtil.serializeObject(graph), StandardCharsets.ISO_8859_1);
        // The operators are in there (the Kafka source's settings are), the config is not.
        assertThat(serialized).contains(BOOTSTRAP).doesNotContain(MARKER);

        Map<String, DistributedCache.DistributedCacheEntry> artifacts = graph.getUserArtifacts();
        assertThat(artifacts).hasSize(1);
        Map.Entry<String, DistributedCache.DistributedCacheEntry> entry =
                artifacts.entrySet().iterator().next();
        Path file = Path.of(URI.create(entry.getValue().filePath));
        assertThat(Files.readString(file)).isEqualTo(CONFIG);
        assertThat(entry.getKey())
                .isEqualTo(StartConfig.cacheEntryName(StartConfig.inline(CONFIG).sha256()));
    }

    @Test
    void aStartConfigFileIsRegisteredItselfUnderItsHash() throws Exception {
        Path file = Files.writeString(dir.resolve("jobs.json"), CONFIG + "\n");
        StartConfigFile start = SluiceJob.readStartConfig(file);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf());
        SluiceJob.define(env, conf(), start);

        Map<String, DistributedCache.DistributedCacheEntry> artifacts =
                env.getStreamGraph().getJobGraph().getUserArtifacts();

        assertThat(start.sha256()).isNotEqualTo(StartConfig.inline(CONFIG).sha256());
        assertThat(artifacts)
                .containsOnlyKeys(StartConfig.cacheEntryName(start.sha256()))
                .allSatisfy(
                        (name, entry) ->
                                assertThat(Path.of(URI.create(entry.filePath)))
                                        .isEqualTo(file.toAbsolutePath()));
    }

    @Test
    void aRestoreShipsNoStartConfig() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf());
        SluiceJob.define(env, conf(), (String) null);

        assertThat(env.getStreamGraph().getJobGraph().getUserArtifacts()).isEmpty();
    }

    @Test
    void anInvalidStartConfigFailsTheJobsConstruction() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf());
        assertThatThrownBy(() -> SluiceJob.define(env, conf(), "{\"version\":1,\"jobs\":[]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the start config is invalid");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"version\":1,");
        assertThatThrownBy(() -> SluiceJob.readStartConfig(broken))
                .isInstanceOf(InvalidConfigException.class);
    }
}
