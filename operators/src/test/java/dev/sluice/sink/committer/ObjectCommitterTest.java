package dev.sluice.sink.committer;

import dev.sluice.config.Destination;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.Parking;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.StrandedUpload;
import dev.sluice.sink.TestBatches;
import dev.sluice.sink.park.DestinationHealth;
import dev.sluice.sink.park.ParkRoute;
import dev.sluice.sink.store.FileObjectStore;

import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectCommitterTest {

    @TempDir Path dir;

    private ObjectCommittable staged(long seq) throws Exception {
        String conf = "file://" + dir.toAbsolutePath() + "/acme";
        Destination d = Destination.parse(conf);
        byte[] body = ("batch " + seq).getBytes(StandardCharsets.UTF_8);
        return new FileObjectStore().stage(conf, d, TestBatches.key(conf, 1, seq), body, 1);
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
                ObjectCommittable.staged(c.destination(), c.key(), "gone", List.of(), 7, 1);
        RecordingCommitRequest request = new RecordingCommitRequest(lost);

        try (ObjectCommitter committer = new ObjectCommitter()) {
            committer.commit(List.of(request));
        }

        assertThat(request.outcome).isEqualTo("failed-known");
    }

    @Test
    void retriesTransientErrorsWithABackoffAndNeverDropsTheObject() throws Exception {
        ObjectCommittable unreachable = stagedUnreachable();
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

    /** A whole object of one chunk for {@code conf}, as the writer hands it over. */
    private static ObjectCommittable whole(String conf, long seq, String text) {
        BatchChunk c =
                TestBatches.batch(conf, 1, seq, text.getBytes(StandardCharsets.UTF_8)).get(0);
        return ObjectCommittable.whole(c, c.data);
    }

    private static String read(String key) throws Exception {
        return Files.readString(Path.of("/" + key));
    }

    @Test
    void writesAWholeObjectInOneStepAndTheSameBytesAgainOnARetry() throws Exception {
        ObjectCommittable c = whole("file://" + dir.toAbsolutePath() + "/acme", 0, "line 0\n");
        RecordingCommitRequest first = new RecordingCommitRequest(c);
        RecordingCommitRequest retried = new RecordingCommitRequest(c);

        try (ObjectCommitter committer = new ObjectCommitter()) {
            committer.commit(List.of(first));
            assertThat(read(c.key())).isEqualTo("line 0\n");
            committer.commit(List.of(retried));
        }

        assertThat(first.outcome).isEqualTo("committed");
        assertThat(retried.outcome).isEqualTo("committed");
        assertThat(read(c.key())).isEqualTo("line 0\n");
    }

    @Test
    void parksAWholeObjectWhoseDestinationFailsAndSkipsTheDestinationForItsCooldown()
            throws Exception {
        // A directory that cannot be created: its parent is a file.
        Files.writeString(dir.resolve("not-a-dir"), "x");
        String broken = "file://" + dir + "/not-a-dir/acme";
        String park = "file://" + dir + "/parked";
        ObjectCommittable failing = whole(broken, 0, "first\n");
        ObjectCommittable next = whole(broken, 1, "second\n");
        DestinationHealth health = new DestinationHealth(30_000, 120_000);
        RecordingCommitRequest first = new RecordingCommitRequest(failing);
        RecordingCommitRequest second = new RecordingCommitRequest(next);

        try (ObjectCommitter committer =
                new ObjectCommitter(null, new UnregisteredMetricsGroup(), park, health)) {
            commitAsFlinkDoes(committer, first);
            assertThat(health.skippedUntil(broken)).as("in its cooldown").isPositive();
            // Repaired meanwhile, but still in its cooldown: parked without a try.
            Files.delete(dir.resolve("not-a-dir"));
            commitAsFlinkDoes(committer, second);
        }

        // Handed on as parked, with the reason, for the job's status after the commit.
        assertThat(first.getCommittable().isParked()).isTrue();
        assertThat(first.getCommittable().destination()).isEqualTo(park);
        assertThat(second.getCommittable().parkedReason()).startsWith(ParkRoute.SKIPPED);

        assertThat(first.outcome).isEqualTo("committed");
        assertThat(second.outcome).isEqualTo("committed");
        Destination parkDestination = Destination.parse(park);
        assertThat(read(Parking.parkedKey(parkDestination, failing.key()))).isEqualTo("first\n");
        assertThat(read(Parking.parkedKey(parkDestination, next.key()))).isEqualTo("second\n");
        assertThat(Path.of("/" + next.key())).as("not tried during the cooldown").doesNotExist();
    }

    /**
     * A write that fails while its task is being stopped (interrupted) says nothing of the
     * destination: the object is not parked, the destination keeps its health, and the commit is
     * retried (after a restart, from the checkpoint).
     */
    @Test
    void aWholeObjectFailingWhileItsTaskIsStoppedIsNotParked() throws Exception {
        // A directory that cannot be created: its parent is a file.
        Files.writeString(dir.resolve("not-a-dir"), "x");
        String conf = "file://" + dir + "/not-a-dir/acme";
        String park = "file://" + dir + "/parked";
        ObjectCommittable c = whole(conf, 0, "line\n");
        DestinationHealth health = new DestinationHealth(30_000, 120_000);
        RecordingCommitRequest request = new RecordingCommitRequest(c);

        try (ObjectCommitter committer =
                new ObjectCommitter(null, new UnregisteredMetricsGroup(), park, health)) {
            Thread.currentThread().interrupt();
            try {
                committer.commit(List.of(request));
            } finally {
                Thread.interrupted();
            }
        }

        assertThat(request.outcome).isEqualTo("retry-later");
        assertThat(health.skippedUntil(conf)).as("still healthy").isZero();
        assertThat(dir.resolve("parked")).as("nothing parked").doesNotExist();
    }

    @Test
    void withoutAParkDestinationAFailingWholeObjectIsRetriedLater() throws Exception {
        Files.writeString(dir.resolve("not-a-dir"), "x");
        ObjectCommittable c = whole("file://" + dir + "/not-a-dir/acme", 0, "line\n");
        RecordingCommitRequest request = new RecordingCommitRequest(c);

        try (ObjectCommitter committer =
                new ObjectCommitter(null, new UnregisteredMetricsGroup(), millis -> {})) {
            committer.commit(List.of(request));
        }

        assertThat(request.outcome).isEqualTo("retry-later");
    }

    /** A staged object in a store that refuses every request. */
    private ObjectCommittable stagedUnreachable() throws Exception {
        ObjectCommittable c = staged(0);
        return ObjectCommittable.staged(
                "s3://logs/x?endpoint=http://127.0.0.1:1&access-key-id=a&secret-access-key=secret",
                c.key(),
                "upload-1",
                List.of("etag-1", "etag-2"),
                7,
                3,
                c.manifest());
    }

    /**
     * A staged object whose destination fails every retry is one job's failure: it is parked by
     * reference (its record, for redrive), never left to fail the task at Flink's retry limit.
     */
    @Test
    void aStagedObjectWhoseDestinationKeepsFailingIsParkedByReference() throws Exception {
        ObjectCommittable c = stagedUnreachable();
        String park = "file://" + dir + "/parked";
        RecordingCommitRequest early = new RecordingCommitRequest(c);
        early.retries = ObjectCommitter.GIVE_UP_AFTER_RETRIES - 1;
        RecordingCommitRequest last = new RecordingCommitRequest(c);
        last.retries = ObjectCommitter.GIVE_UP_AFTER_RETRIES;

        try (ObjectCommitter committer = committer(park)) {
            committer.commit(List.of(early));
            assertThat(early.outcome).as("still retried").isEqualTo("retry-later");
            commitAsFlinkDoes(committer, last);
        }

        assertThat(last.outcome).isEqualTo("committed");
        // Handed on as parked, with the reason, for the job's status after the commit.
        assertThat(last.getCommittable().isParked()).isTrue();
        assertThat(last.getCommittable().destination()).isEqualTo(park);
        assertThat(last.getCommittable().parkedReason()).isNotBlank();
        Path record = Path.of("/" + Parking.strandedKey(Destination.parse(park), c.key()));
        StrandedUpload stranded = StrandedUpload.fromJson(Files.readAllBytes(record));
        assertThat(stranded.key()).isEqualTo(c.key());
        assertThat(stranded.uploadId()).isEqualTo("upload-1");
        assertThat(stranded.partETags()).containsExactly("etag-1", "etag-2");
        assertThat(stranded.records()).isEqualTo(3);
        assertThat(stranded.reason()).isNotBlank();
        assertThat(Files.readString(record)).doesNotContain("secret-access-key=secret");
        assertThat(stranded.committable(c.destination())).isEqualTo(c);
    }

    /** With {@code park-destination: none}, the opt-out: dropped and counted, never a failure. */
    @Test
    void withParkDestinationNoneAStagedObjectThatKeepsFailingIsDiscarded() throws Exception {
        RecordingCommitRequest request = new RecordingCommitRequest(stagedUnreachable());
        request.retries = ObjectCommitter.GIVE_UP_AFTER_RETRIES;

        try (ObjectCommitter committer = committer(SinkSettings.NO_PARK_DESTINATION)) {
            committer.commit(List.of(request));
        }

        assertThat(request.outcome).isEqualTo("failed-known");
    }

    /**
     * With {@code park-destination: none}, a whole object's first failure is retried; its
     * destination's next objects, in its cooldown, are discarded at once, without a try.
     */
    @Test
    void withParkDestinationNoneWholeObjectsOfAFailedDestinationAreDiscardedInItsCooldown()
            throws Exception {
        Files.writeString(dir.resolve("not-a-dir"), "x");
        String broken = "file://" + dir + "/not-a-dir/acme";
        String healthy = "file://" + dir + "/initech";
        RecordingCommitRequest first = new RecordingCommitRequest(whole(broken, 0, "a\n"));
        RecordingCommitRequest next = new RecordingCommitRequest(whole(broken, 1, "b\n"));
        RecordingCommitRequest other = new RecordingCommitRequest(whole(healthy, 0, "c\n"));

        try (ObjectCommitter committer = committer(SinkSettings.NO_PARK_DESTINATION)) {
            committer.commit(List.of(first));
            committer.commit(List.of(next, other));
        }

        assertThat(first.outcome).isEqualTo("retry-later");
        assertThat(next.outcome).isEqualTo("failed-known");
        assertThat(other.outcome).isEqualTo("committed");
        assertThat(read(other.getCommittable().key())).isEqualTo("c\n");
    }

    private static ObjectCommitter committer(String parkConf) {
        return new ObjectCommitter(
                null,
                new UnregisteredMetricsGroup(),
                parkConf,
                new DestinationHealth(30_000, 120_000),
                millis -> {});
    }

    /** Records what the committer decided about one committable. */
    /** Flink retries a request whose committable was updated at once, in the same commit. */
    private static void commitAsFlinkDoes(ObjectCommitter committer, RecordingCommitRequest r) {
        committer.commit(List.of(r));
        if (r.outcome.equals("updated")) {
            r.retries++;
            r.outcome = "committed";
            committer.commit(List.of(r));
        }
    }

    private static final class RecordingCommitRequest implements CommitRequest<ObjectCommittable> {
        private ObjectCommittable committable;
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
            committable = c;
            outcome = "updated";
        }

        @Override
        public void signalAlreadyCommitted() {
            outcome = "already-committed";
        }
    }
}
