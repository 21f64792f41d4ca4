package dev.sluice.sink.writer;

import dev.sluice.config.Destination;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.TestBatches;
import dev.sluice.sink.store.FileObjectStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restarted or restored writer aborts a job's leftover uploads at the job's first batch; a
 * writer's first attempt that restored nothing does not look for them.
 */
class StaleUploadCleanupTest {

    private static final long JOB = 5;

    @TempDir Path dir;

    private String destination() {
        return "file://" + dir + "/acme";
    }

    private String key(long seq) {
        return TestBatches.key(destination(), JOB, seq);
    }

    /** An upload an earlier attempt staged and never committed. */
    private void leaveUpload(long seq) throws Exception {
        new FileObjectStore()
                .stage(
                        destination(),
                        Destination.parse(destination()),
                        key(seq),
                        "old\n".getBytes(StandardCharsets.UTF_8),
                        1);
    }

    private BatchChunk batch(long seq) {
        return TestBatches.batch(destination(), JOB, seq, "new\n".getBytes(StandardCharsets.UTF_8))
                .get(0);
    }

    private ObjectSinkWriter writer(boolean abortStaleUploads) {
        return TestWriters.unparked(abortStaleUploads, 0);
    }

    private long uploadsOf(long seq) throws Exception {
        String name = Path.of(key(seq)).getFileName() + ".inprogress.";
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(name)).count();
        }
    }

    @Test
    void aRestartedWriterAbortsTheJobsLeftoverUploads() throws Exception {
        leaveUpload(3);
        try (ObjectSinkWriter w = writer(true)) {
            w.write(batch(2), null);

            assertThat(uploadsOf(3)).as("the leftover").isZero();
            assertThat(uploadsOf(2)).as("the new batch").isEqualTo(1);
        }
    }

    @Test
    void aFirstAttemptThatRestoredNothingDoesNotLookForLeftovers() throws Exception {
        leaveUpload(3);
        try (ObjectSinkWriter w = writer(false)) {
            w.write(batch(2), null);

            assertThat(uploadsOf(3)).as("left alone, never completed").isEqualTo(1);
            assertThat(uploadsOf(2)).isEqualTo(1);
        }
    }
}
