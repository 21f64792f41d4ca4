package dev.sluice.sink.writer;

import dev.sluice.config.Destination;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.Parking;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.park.DestinationHealth;
import dev.sluice.sink.store.FileObjectStore;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sluice.sink.TestBatches.lines;
import static dev.sluice.sink.TestBatches.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A failing destination's batches go to the park store whole, under their own keys, and the
 * destination is skipped for its cooldown; with no park store the failure fails the writer.
 */
class ParkingWriterTest {

    private static final long COOLDOWN = 30_000;

    @TempDir Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private String broken;
    private String healthy;
    private String park;

    @BeforeEach
    void destinations() throws Exception {
        // A directory that cannot be created: its parent is a file.
        Files.writeString(dir.resolve("not-a-dir"), "x");
        broken = "file://" + dir + "/not-a-dir/acme";
        healthy = "file://" + dir + "/initech";
        park = "file://" + dir + "/parked";
    }

    private ObjectSinkWriter writer(String parkConf) {
        return writer(parkConf, new DestinationHealth(COOLDOWN, 4 * COOLDOWN));
    }

    private ObjectSinkWriter writer(String parkConf, DestinationHealth health) {
        return new ObjectSinkWriter(
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                parkConf,
                health,
                clock::get);
    }

    private static String commit(ObjectCommittable c) throws Exception {
        Destination d = Destination.parse(c.destination());
        new FileObjectStore().commit(d, c);
        return Files.readString(Path.of("/" + c.key()));
    }

    @Test
    void parksTheBatchOfAFailingDestinationWholeUnderItsOwnKey() throws Exception {
        try (ObjectSinkWriter w = writer(park)) {
            List<BatchChunk> chunks = lines(broken, 7, 3, 3);
            write(w, chunks);
            write(w, lines(healthy, 8, 0, 2));

            List<ObjectCommittable> ready = List.copyOf(w.prepareCommit());
            assertThat(ready).hasSize(2);
            ObjectCommittable parked = ready.get(0);
            assertThat(parked.destination()).isEqualTo(park);
            assertThat(parked.key())
                    .isEqualTo(Parking.parkedKey(Destination.parse(park), chunks.get(0).key));
            assertThat(commit(parked)).isEqualTo("line 0\nline 1\nline 2\n");
            assertThat(parked.manifest().records()).isEqualTo(3);
            assertThat(ready.get(1).destination()).isEqualTo(healthy);
            assertThat(commit(ready.get(1))).isEqualTo("line 0\nline 1\n");
        }
    }

    /**
     * A destination the config review now refuses may still come from a batch buffered under an
     * earlier build: it is that job's failure, parked, never the writer's.
     */
    @Test
    void parksTheBatchOfADestinationThatCannotBeParsedAnyMore() throws Exception {
        String unusable = "s3://bucket/acme?attempt-timeout-ms=abc";
        List<BatchChunk> chunks = lines("s3://bucket/acme", 7, 0, 3);
        chunks.forEach(c -> c.destination = unusable);
        try (ObjectSinkWriter w = writer(park)) {
            write(w, chunks);
            write(w, lines(healthy, 8, 0, 2));

            List<ObjectCommittable> ready = List.copyOf(w.prepareCommit());
            assertThat(ready)
                    .extracting(ObjectCommittable::destination)
                    .containsExactly(park, healthy);
            assertThat(commit(ready.get(0))).isEqualTo("line 0\nline 1\nline 2\n");
        }
    }

    @Test
    void skipsAFailedDestinationUntilAProbeOffTheTaskThreadFindsItWorking() throws Exception {
        DestinationHealth health = new DestinationHealth(COOLDOWN, 4 * COOLDOWN);
        try (ObjectSinkWriter w = writer(park, health)) {
            write(w, lines(broken, 7, 0, 1));
            assertThat(health.skip(broken, clock.get())).isTrue();

            // Repaired meanwhile, but still in its cooldown: parked without a try.
            Files.delete(dir.resolve("not-a-dir"));
            write(w, lines(broken, 7, 1, 1));
            // The cooldown is over: this batch is still parked while a probe checks the store.
            clock.addAndGet(COOLDOWN);
            write(w, lines(broken, 7, 2, 1));
            long deadline = System.currentTimeMillis() + 10_000;
            while (health.unhealthy() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(health.unhealthy()).as("the probe found it working").isZero();
            write(w, lines(broken, 7, 3, 1));

            assertThat(w.prepareCommit())
                    .extracting(ObjectCommittable::destination)
                    .containsExactly(park, park, park, broken);
            try (var probes = Files.walk(dir)) {
                assertThat(probes.filter(p -> p.toString().contains(".sluice-probe")))
                        .as("the probe left nothing behind")
                        .isEmpty();
            }
        }
    }

    @Test
    void aFailedProbeStartsTheNextLongerCooldown() throws Exception {
        DestinationHealth health = new DestinationHealth(COOLDOWN, 4 * COOLDOWN);
        try (ObjectSinkWriter w = writer(park, health)) {
            write(w, lines(broken, 7, 0, 1));
            clock.addAndGet(COOLDOWN);
            write(w, lines(broken, 7, 1, 1));
            long deadline = System.currentTimeMillis() + 10_000;
            while (health.skippedUntil(broken) == Long.MAX_VALUE
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }

            assertThat(health.skippedUntil(broken))
                    .as("still broken: the second cooldown is twice the first")
                    .isEqualTo(clock.get() + 2 * COOLDOWN);
            assertThat(health.unhealthy()).isEqualTo(1);
        }
    }

    @Test
    void parksEveryFailingBatchInARowNotOnlyTheFirst() throws Exception {
        String alsoBroken = "file://" + dir + "/not-a-dir/globex";
        try (ObjectSinkWriter w = writer(park)) {
            write(w, lines(broken, 7, 0, 1));
            write(w, lines(alsoBroken, 9, 0, 2));

            assertThat(w.prepareCommit())
                    .extracting(ObjectCommittable::destination)
                    .containsExactly(park, park);
        }
    }

    @Test
    void withoutAParkDestinationAFailureFailsTheWriter() {
        try (ObjectSinkWriter w = writer("")) {
            assertThatThrownBy(() -> write(w, lines(broken, 7, 0, 2)))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    /**
     * {@code park-destination: none}, the operator's opt-out: a failing job's batches are dropped,
     * in its cooldown without a try, and every other job's batch goes on; nothing fails the task.
     */
    @Test
    void withParkDestinationNoneAFailingJobsBatchesAreDiscardedAndTheOthersGoOn() throws Exception {
        try (ObjectSinkWriter w = writer(SinkSettings.NO_PARK_DESTINATION)) {
            write(w, lines(broken, 7, 0, 2));
            write(w, lines(healthy, 8, 0, 3));
            write(w, lines(broken, 7, 1, 2));

            List<ObjectCommittable> committables = List.copyOf(w.prepareCommit());
            assertThat(committables)
                    .extracting(ObjectCommittable::destination)
                    .containsExactly(healthy);
            assertThat(commit(committables.get(0))).hasLineCount(3);
        }
    }

    @Test
    void aFailingParkStoreFailsTheWriterRatherThanDropTheBatch() {
        try (ObjectSinkWriter w = writer("file://" + dir + "/not-a-dir/parked")) {
            assertThatThrownBy(() -> write(w, lines(broken, 7, 0, 2)))
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
