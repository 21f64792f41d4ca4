package dev.sluice.jobs;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints map state to operators by uid: every operator of the job has one, and none changes
 * unnoticed. A deliberate change edits {@code operator-uids.txt} in the same commit (and needs a
 * state migration for stateful operators).
 */
class OperatorUidsTest {

    private static final String CONFIG =
            "{\"version\":1,\"jobs\":[{\"id\":1,\"customer_id\":\"a\",\"dataset\":\"http_requests\","
                + "\"destination_conf\":\"s3://logs-bucket/a\"}]}";

    private static StreamGraph jobGraph() {
        Configuration conf = SluiceJob.withDefaults(new Configuration());
        conf.set(SluiceOptions.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SluiceJob.define(env, conf, CONFIG);
        return env.getStreamGraph();
    }

    @Test
    void everyOperatorHasTheCommittedUid() throws IOException {
        TreeMap<String, String> uidsByName = new TreeMap<>();
        for (StreamNode node : jobGraph().getStreamNodes()) {
            assertThat(node.getTransformationUID())
                    .as("uid of '%s'", node.getOperatorName())
                    .isNotBlank();
            uidsByName.put(node.getOperatorName(), node.getTransformationUID());
        }
        List<String> actual =
                uidsByName.entrySet().stream()
                        .map(e -> e.getValue() + " <- " + e.getKey())
                        .sorted()
                        .collect(Collectors.toList());

        assertThat(actual).containsExactlyElementsOf(committedUids());
    }

    private static List<String> committedUids() throws IOException {
        try (InputStream in = OperatorUidsTest.class.getResourceAsStream("/operator-uids.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
