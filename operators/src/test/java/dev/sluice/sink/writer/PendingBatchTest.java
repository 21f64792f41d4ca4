package dev.sluice.sink.writer;

import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.TestBatches;
import dev.sluice.sink.park.DestinationHealth;
import dev.sluice.sink.park.ParkRoute;
import dev.sluice.sink.store.ObjectStores;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch's state says where its bytes go, from its first chunk until Flink takes it. */
class PendingBatchTest {

    private static final long COOLDOWN = 30_000;

    @TempDir Path dir;

    private final ObjectStores stores = new ObjectStores();
    private final DestinationHealth health = new DestinationHealth(COOLDOWN, 4 * COOLDOWN);

    @AfterEach
    void close() {
        stores.close();
    }

    private PendingBatch.Shared shared(long wholeObjectMaxBytes) {
        WriterMetrics metrics =
                new WriterMetrics(UnregisteredMetricsGroup.createSinkWriterMetricGroup());
        ParkRoute park = new ParkRoute(conf("parked"), health, () -> 0, stores, metrics.sluice());
        return new PendingBatch.Shared(
                new BatchStores(stores, park),
                new WholeObjects(wholeObjectMaxBytes),
                metrics,
                () -> 0);
    }

    private String conf(String name) {
        return "file://" + dir + "/" + name;
    }

    private static PendingBatch write(List<BatchChunk> chunks, PendingBatch.Shared shared)
            throws Exception {
        PendingBatch batch = PendingBatch.begin(chunks.get(0), 0, shared);
        for (BatchChunk c : chunks) {
            batch.add(c);
        }
        return batch;
    }

    @Test
    void aSmallBatchIsHeldAndHandedOverWhole() throws Exception {
        PendingBatch batch = write(TestBatches.lines(conf("acme"), 1, 0, 2), shared(1024));
        assertThat(batch.state()).isEqualTo(PendingBatch.State.HELD);

        batch.handOverWhole();
        ObjectCommittable whole = batch.handOver();

        assertThat(whole.isWhole()).isTrue();
        assertThat(batch.state()).isEqualTo(PendingBatch.State.HANDED_OVER);
    }

    @Test
    void aBatchThatOutgrowsAWholeObjectIsStaged() throws Exception {
        PendingBatch batch = write(TestBatches.lines(conf("acme"), 1, 0, 3), shared(10));

        assertThat(batch.state()).isEqualTo(PendingBatch.State.STAGING);
        assertThat(batch.length()).as("every chunk held so far is staged").isEqualTo(21);
    }

    @Test
    void aFailingDestinationsBatchIsParked() throws Exception {
        Files.writeString(dir.resolve("not-a-dir"), "x");
        String broken = conf("not-a-dir/acme");
        PendingBatch batch = write(TestBatches.lines(broken, 1, 0, 2), shared(0));

        assertThat(batch.state()).isEqualTo(PendingBatch.State.PARKED);
        assertThat(health.skippedUntil(broken)).as("in its cooldown").isEqualTo(COOLDOWN);
    }

    @Test
    void aBatchForADestinationInItsCooldownIsParkedWithoutATry() throws Exception {
        health.failed(conf("acme"), 0);
        PendingBatch batch = write(TestBatches.lines(conf("acme"), 1, 0, 1), shared(1024));

        assertThat(batch.state()).isEqualTo(PendingBatch.State.PARKED);
        batch.abort();
        assertThat(batch.state()).isEqualTo(PendingBatch.State.ABORTED);
    }
}
