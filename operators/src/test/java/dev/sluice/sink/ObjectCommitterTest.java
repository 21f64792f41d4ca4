package dev.sluice.sink;

import dev.sluice.config.Destination;
import dev.sluice.sink.store.FileObjectStore;

import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectCommitterTest {

    private static final long T = 1_731_579_300_000_000L;

    @TempDir Path dir;

    private ObjectCommittable staged(long seq) throws Exception {
        String conf = "file://" + dir.toAbsolutePath() + "/acme";
        Destination d = Destination.parse(conf);
        byte[] body = ("batch " + seq).getBytes(StandardCharsets.UTF_8);
        return new FileObjectStore().stage(conf, d, ObjectKeys.keyFor(d, 1, seq, T, T), body, 1);
    }

    @Test
    void commitsAndRecognisesAnAlreadyCommittedObject() throws Exception {
        ObjectCommittable c = staged(0);
        RecordingCommitRequest first = new RecordingCommitRequest(c);
        RecordingCommitRequest retried = new RecordingCommitRequest(c);

        try (ObjectCommitter committer = new ObjectCommitter()) {
            committer.commit(List.of(first));
            committer.commit(List.of(retried));
        }

        assertThat(first.outcome).isEqualTo("committed");
        assertThat(retried.outcome).isEqualTo("already-committed");
    }

    @Test
    void aMissingObjectIsAKnownFailureNeverASuccess() throws Exception {
        ObjectCommittable c = staged(0);
        ObjectCommittable lost =
                new ObjectCommittable(c.destination(), c.key(), "gone", List.of(), 7, 1);
        RecordingCommitRequest request = new RecordingCommitRequest(lost);

        try (ObjectCommitter committer = new ObjectCommitter()) {
            committer.commit(List.of(request));
        }

        assertThat(request.outcome).isEqualTo("failed-known");
    }

    @Test
    void retriesTransientErrorsWithABackoffAndNeverDropsTheObject() throws Exception {
        ObjectCommittable c = staged(0);
        ObjectCommittable unreachable =
                new ObjectCommittable(
                        "s3://logs/x?endpoint=http://127.0.0.1:1&access-key-id=a&secret-access-key=b",
                        c.key(),
                        "u",
                        List.of("e"),
                        7,
                        1);
        RecordingCommitRequest fresh = new RecordingCommitRequest(unreachable);
        RecordingCommitRequest exhausted = new RecordingCommitRequest(unreachable);
        exhausted.retries = 30;
        // Commits run in parallel: each waits its own backoff, on its own thread.
        List<Long> waits = new java.util.concurrent.CopyOnWriteArrayList<>();

        try (ObjectCommitter committer =
                new ObjectCommitter(
                        null,
                        new org.apache.flink.metrics.groups.UnregisteredMetricsGroup(),
                        waits::add)) {
            committer.commit(List.of(fresh, exhausted));
        }

        assertThat(fresh.outcome).isEqualTo("retry-later");
        assertThat(exhausted.outcome)
                .as("Flink decides when to give up: a restart, not a dropped object")
                .isEqualTo("retry-later");
        assertThat(waits).containsExactlyInAnyOrder(100L, 5_000L);
        assertThat(ObjectCommitter.backoffMillis(3)).isEqualTo(800);
    }

    /** Records what the committer decided about one committable. */
    private static final class RecordingCommitRequest implements CommitRequest<ObjectCommittable> {
        private final ObjectCommittable committable;
        int retries;
        String outcome = "committed";

        RecordingCommitRequest(ObjectCommittable committable) {
            this.committable = committable;
        }

        @Override
        public ObjectCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return retries;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            outcome = "failed-known";
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            outcome = "failed-unknown";
        }

        @Override
        public void retryLater() {
            outcome = "retry-later";
        }

        @Override
        public void updateAndRetryLater(ObjectCommittable c) {
            outcome = "retry-later";
        }

        @Override
        public void signalAlreadyCommitted() {
            outcome = "already-committed";
        }
    }
}
