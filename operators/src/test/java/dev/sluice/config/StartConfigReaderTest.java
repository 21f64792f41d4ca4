package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartConfigReaderTest {

    @Test
    void hashesEveryByteOfAValidConfig() throws Exception {
        String json = TestConfigs.version(1).job(1, "acme").json();
        byte[] trailing = (json + "\n\n").getBytes(StandardCharsets.UTF_8);

        String sha = StartConfigReader.validate(new ByteArrayInputStream(trailing));

        assertThat(sha)
                .isEqualTo(StartConfigReader.sha256(trailing))
                .isNotEqualTo(StartConfigReader.sha256(json.getBytes(StandardCharsets.UTF_8)))
                .hasSize(64)
                .matches("[0-9a-f]+");
        assertThat(StartConfig.inline(json).sha256())
                .isEqualTo(StartConfigReader.sha256(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesWhatTheParserRefuses() {
        assertThatThrownBy(() -> validate("{\"version\":1,\"jobs\":[]}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("jobs is empty");
        assertThatThrownBy(() -> validate("{\"version\":1,"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not a config snapshot");
        assertThatThrownBy(() -> validate("")).isInstanceOf(InvalidConfigException.class);
    }

    private static String validate(String json) throws Exception {
        return StartConfigReader.validate(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
