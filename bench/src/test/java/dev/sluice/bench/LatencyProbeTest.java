package dev.sluice.bench;

import dev.sluice.local.SampleConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's latency probe against a real Kafka broker, S3 server and MiniCluster: every
 * record it produces is found in an object and gets a latency. Apart from the bench's smoke test
 * because it cannot end before the jobs' 30 s batch interval; it asserts what was seen, not how
 * fast.
 */
class LatencyProbeTest {

    @TempDir Path dir;

    @Test
    void everyProducedRecordIsSeenAndGetsALatency() throws Exception {
        BenchInput input = BenchInput.generate(100, SampleConfig.customers(10), 30_11_2026L);
        try (BenchServers servers =
                BenchServers.start(
                        dir, Duration.ofSeconds(1), "hashmap", S3Storage.Medium.memory)) {
            BenchTopics.create(servers.kafka);

            LatencyProbe.Figures figures =
                    new LatencyProbe(servers, input).run(200, Duration.ofSeconds(1));

            assertThat(figures.produced()).isPositive();
            assertThat(figures.seen()).isEqualTo(figures.produced());
            assertThat(figures.p50Millis()).isPositive();
            assertThat(figures.p99Millis()).isBetween(figures.p50Millis(), figures.maxMillis());
            assertThat(figures.boundMillis())
                    .isEqualTo(LatencyProbe.BATCH_INTERVAL.plusSeconds(1 + 2).toMillis());
        }
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        assertThat(LatencyProbe.percentile(sorted, 0.50)).isEqualTo(50);
        assertThat(LatencyProbe.percentile(sorted, 0.99)).isEqualTo(100);
        assertThat(LatencyProbe.percentile(new long[0], 0.99)).isZero();
    }

    @Test
    void aRecordsProduceTimeIsItsEventTime() {
        assertThat(LatencyProbe.producedAtMillis("{\"timestamp\":1764460800123456789,\"a\":1}"))
                .isEqualTo(1_764_460_800_123L);
    }
}
