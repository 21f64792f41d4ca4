package dev.sluice.jobs;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SluiceJobDefaultsTest {

    @Test
    void fillsInWhatTheUserLeftUnset() {
        Configuration conf = SluiceJob.withDefaults(new Configuration());

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(conf.get(SluiceOptions.DEFAULT_CHECKPOINT_INTERVAL));
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.get(PipelineOptions.OBJECT_REUSE)).isTrue();
    }

    @Test
    void keepsWhatTheUserSet() {
        Configuration user = new Configuration();
        user.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(42));
        user.set(PipelineOptions.GENERIC_TYPES, true);
        user.set(PipelineOptions.OBJECT_REUSE, false);

        Configuration conf = SluiceJob.withDefaults(user);

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(42));
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isTrue();
        assertThat(conf.get(PipelineOptions.OBJECT_REUSE)).isFalse();
    }

    @Test
    void theJobsEnvironmentReusesObjects() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        SluiceJob.withDefaults(new Configuration()));

        assertThat(env.getConfig().isObjectReuseEnabled()).isTrue();
    }
}
