package dev.sluice.encode;

import dev.sluice.config.ConfigParser;
import dev.sluice.config.DeliveryJob;
import dev.sluice.testing.TestEvents;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplerTest {

    private static final int RECORDS = 100_000;
    private static final long JOB = 7;

    /** Distinct Kafka values: real encoded events that differ in status and time. */
    private static final byte[][] VALUES =
            IntStream.range(0, RECORDS)
                    .mapToObj(
                            i ->
                                    TestEvents.encoded(
                                            "acme", TestEvents.T0_MICROS + i, 200 + i % 300))
                    .toArray(byte[][]::new);

    private static byte[] value(int i) {
        return VALUES[i];
    }

    private static long kept(Sampler sampler) {
        return IntStream.range(0, RECORDS).filter(i -> sampler.keep(value(i))).count();
    }

    @Test
    void decidesTheSameWayForTheSameJobAndValue() {
        Sampler sampler = new Sampler(JOB, 0.3);
        Sampler afterReplay = new Sampler(JOB, 0.3);

        for (int i = 0; i < 1000; i++) {
            byte[] value = value(i);
            assertThat(afterReplay.keep(value.clone())).isEqualTo(sampler.keep(value));
            assertThat(sampler.keep(value)).isEqualTo(sampler.keep(value));
        }
    }

    @Test
    void keepsTheConfiguredShareOfDistinctRecords() {
        assertThat(kept(new Sampler(JOB, 0.1))).isBetween(9_500L, 10_500L);
        assertThat(kept(new Sampler(JOB, 0.5))).isBetween(49_000L, 51_000L);
        assertThat(kept(new Sampler(JOB, 0.01))).isBetween(850L, 1_150L);
    }

    @Test
    void keepsEveryRecordAtRateOne() {
        Sampler sampler = new Sampler(JOB, 1.0);

        assertThat(sampler.keepsAll()).isTrue();
        assertThat(kept(sampler)).isEqualTo(RECORDS);
        assertThat(sampler.keep(new byte[0])).isTrue();
    }

    @Test
    void samplesJobsIndependently() {
        Sampler first = new Sampler(1, 0.5);
        Sampler second = new Sampler(2, 0.5);

        long both =
                IntStream.range(0, RECORDS)
                        .filter(i -> first.keep(value(i)) && second.keep(value(i)))
                        .count();

        // Independent halves overlap on a quarter; the same half would overlap on a half.
        assertThat(both).isBetween(24_000L, 26_000L);
    }

    @Test
    void takesTheRateFromTheJobsOutputOptions() throws Exception {
        String json =
                "{\"version\":1,\"jobs\":[{\"id\":3,\"customer_id\":\"acme\","
                        + "\"dataset\":\"http_requests\","
                        + "\"destination_conf\":\"s3://logs-bucket/acme\","
                        + "\"output_options\":{\"sample_rate\":0.25}}]}";
        DeliveryJob job = ConfigParser.parse(json).jobs().get(0);
        Sampler fromJob = Sampler.forJob(job);
        Sampler direct = new Sampler(3, 0.25);

        assertThat(fromJob.keepsAll()).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(fromJob.keep(value(i))).isEqualTo(direct.keep(value(i)));
        }
    }

    @Test
    void refusesRatesOutsideZeroToOne() {
        for (double rate : new double[] {0, -0.1, 1.0001, Double.NaN}) {
            assertThatThrownBy(() -> new Sampler(JOB, rate))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside (0, 1]");
        }
    }
}
