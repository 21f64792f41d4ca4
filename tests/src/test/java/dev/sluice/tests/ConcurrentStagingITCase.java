package dev.sluice.tests;

import dev.sluice.buffer.ChunkCompressor;
import dev.sluice.config.Compression;
import dev.sluice.config.Destination;
import dev.sluice.config.OutputOptions;
import dev.sluice.encode.BatchFraming;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.FaultProxy;
import dev.sluice.local.FaultProxy.Action;
import dev.sluice.local.FaultProxy.Kind;
import dev.sluice.sink.BatchChunk;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.ObjectSink;
import dev.sluice.sink.SinkSettings;
import dev.sluice.sink.store.CommitOutcome;
import dev.sluice.sink.store.ObjectStores;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sink stages several batches at once and commits a checkpoint's objects in parallel, against a
 * real S3 API server behind a proxy that holds every request: each object still arrives whole,
 * under its own job's key, only after its commit; a store failure is never a committable.
 */
class ConcurrentStagingITCase {

    private static final String BUCKET = "concurrent";
    private static final String WHOLE_BUCKET = "whole-objects";

    /** Every batch staged, however small: these tests are about staging. */
    private static final SinkSettings STAGED = SinkSettings.none().withWholeObjectMaxBytes(0);

    private static final long T = 1_731_579_300_000_000L;
    private static final int BATCHES = 24;

    @TempDir static Path dir;

    private static EmbeddedS3 s3;
    private static S3Client client;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start(0, dir, "k", "s");
        s3.createBucket(BUCKET);
        client = s3.newClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        s3.close();
    }

    @Test
    void stagesSeveralBatchesAtOnceAndCommitsEachWholeUnderItsOwnJob() throws Exception {
        ObjectSink sink = new ObjectSink(STAGED);
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort()).delayEveryRequest(100);
                CommittingSinkWriter<BatchChunk, ObjectCommittable> writer = writer(sink);
                ObjectStores stores = new ObjectStores()) {
            String conf = conf("whole", proxy);
            for (long job = 1; job <= BATCHES; job++) {
                write(writer, batch(conf, job, 0, lines(job, 40), 3));
            }
            writer.flush(false);
            List<ObjectCommittable> staged = List.copyOf(writer.prepareCommit());
            int stagingPeak = proxy.peakConcurrentDelays();

            assertThat(staged)
                    .as("one committable per batch, in the order the batches came")
                    .extracting(c -> c.manifest().jobId())
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.rangeClosed(1, BATCHES).boxed().toList());
            assertThat(stagingPeak)
                    .as("the writer had several store requests in flight at once")
                    .isGreaterThan(1);
            assertThat(new BucketReader(client, BUCKET).readNew())
                    .as("nothing is visible before the commit")
                    .isEmpty();

            Destination destination = Destination.parse(conf);
            for (ObjectCommittable c : staged) {
                assertThat(stores.forDestination(destination).commit(destination, c))
                        .isEqualTo(CommitOutcome.COMMITTED);
            }
            assertThat(proxy.count(Kind.HEAD, Action.FORWARD))
                    .as("each completion's multipart ETag verified it; no object was asked again")
                    .isZero();
            Map<Long, List<String>> delivered = new TreeMap<>();
            for (DeliveredObject object : new BucketReader(client, BUCKET).readNew()) {
                assertThat(delivered.put(object.jobId(), object.lines()))
                        .as("one object per job: %s", object.key())
                        .isNull();
            }
            assertThat(delivered).hasSize(BATCHES);
            delivered.forEach(
                    (job, lines) ->
                            assertThat(lines)
                                    .as("job %d's object holds its own lines, whole", job)
                                    .isEqualTo(lines(job, 40)));
            assertThat(openUploads("whole/")).as("no upload left open").isEmpty();
        }
    }

    /**
     * Batches up to the whole-object size are not staged: nothing reaches the store before the
     * commit, which writes each in one request with its batch's metadata; a second commit writes
     * the same bytes. A larger batch is staged.
     */
    @Test
    void aSmallBatchIsWrittenWholeInOneRequestAtTheCommit() throws Exception {
        ObjectSink sink = new ObjectSink(SinkSettings.none().withWholeObjectMaxBytes(400));
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort());
                CommittingSinkWriter<BatchChunk, ObjectCommittable> writer = writer(sink);
                ObjectStores stores = new ObjectStores()) {
            s3.createBucket(WHOLE_BUCKET);
            String conf = conf(WHOLE_BUCKET, "one-put", proxy);
            for (long job = 1; job <= 5; job++) {
                write(writer, batch(conf, job, 0, lines(job, 40), 1));
            }
            write(writer, batch(conf, 6, 0, lines(6, 40), 2));
            write(writer, batch(conf, 7, 0, lines(7, 400), 3));
            writer.flush(false);
            List<ObjectCommittable> ready = List.copyOf(writer.prepareCommit());

            assertThat(ready)
                    .extracting(ObjectCommittable::isWhole)
                    .as("the small batches are whole, of one chunk or two; the large one is staged")
                    .containsExactly(true, true, true, true, true, true, false);
            assertThat(proxy.count(Kind.PUT_OBJECT, Action.FORWARD))
                    .as("no whole object reached the store before its commit")
                    .isZero();
            assertThat(proxy.count(Kind.CREATE_UPLOAD, Action.FORWARD))
                    .as("only the large batch was staged")
                    .isEqualTo(1);

            Destination destination = Destination.parse(conf);
            for (ObjectCommittable c : ready) {
                stores.forDestination(destination).commit(destination, c);
            }
            stores.forDestination(destination).commit(destination, ready.get(0));

            assertThat(proxy.count(Kind.PUT_OBJECT, Action.FORWARD))
                    .as("one request per whole object, and one for the repeated commit")
                    .isEqualTo(7);
            Map<Long, List<String>> delivered = new TreeMap<>();
            for (DeliveredObject object : new BucketReader(client, WHOLE_BUCKET).readNew()) {
                delivered.put(object.jobId(), object.lines());
            }
            assertThat(delivered.keySet()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            delivered.forEach(
                    (job, lines) ->
                            assertThat(lines)
                                    .as("job %d", job)
                                    .isEqualTo(lines(job, job == 7 ? 400 : 40)));
            ObjectCommittable first = ready.get(0);
            var head = client.headObject(r -> r.bucket(WHOLE_BUCKET).key(first.key()));
            assertThat(head.contentLength()).isEqualTo(first.length());
            assertThat(head.contentType()).isEqualTo("application/gzip");
            assertThat(head.metadata())
                    .containsEntry("sluice-job-id", "1")
                    .containsEntry("sluice-records", "40")
                    .containsEntry("sluice-records-batched", "40");
        }
    }

    @Test
    void aPartTheStoreRefusesFailsTheCheckpointInsteadOfBecomingACommittable() throws Exception {
        // One-chunk batches are staged here too: this is about a refused part.
        ObjectSink sink = new ObjectSink(STAGED);
        try (FaultProxy proxy = new FaultProxy(s3.endpoint().getPort());
                CommittingSinkWriter<BatchChunk, ObjectCommittable> writer = writer(sink)) {
            String conf = conf("refused", proxy);
            write(writer, batch(conf, 1, 0, lines(1, 10), 1));
            writer.flush(false);
            assertThat(writer.prepareCommit()).hasSize(1);

            proxy.failEveryAttemptOfNext(Kind.UPLOAD_PART);
            assertThatThrownBy(
                            () -> {
                                // The failure shows at the next write or, at the latest, at
                                // the checkpoint's flush.
                                write(writer, batch(conf, 1, 1, lines(1, 10), 1));
                                writer.flush(false);
                            })
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("uploading part 1");
            assertThat(openUploads("refused/"))
                    .as("the refused batch's upload is aborted; the staged one stays Flink's")
                    .containsExactly(ObjectKeys.keyFor(Destination.parse(conf), 1, 0, T, T));
        }
    }

    private static List<String> openUploads(String prefix) {
        return client.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)).uploads().stream()
                .map(u -> u.key())
                .toList();
    }

    private static CommittingSinkWriter<BatchChunk, ObjectCommittable> writer(ObjectSink sink) {
        return sink.writer(UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    private static String conf(String prefix, FaultProxy proxy) {
        return conf(BUCKET, prefix, proxy);
    }

    private static String conf(String bucket, String prefix, FaultProxy proxy) {
        return "s3://"
                + bucket
                + "/"
                + prefix
                + "?endpoint="
                + proxy.endpoint()
                + "&access-key-id=k&secret-access-key=s";
    }

    private static List<String> lines(long job, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("{\"job\":" + job + ",\"line\":" + i + "}");
        }
        return lines;
    }

    /** The batch as the buffer emits it: gzip chunks, each a complete member. */
    private static List<BatchChunk> batch(
            String conf, long job, long seq, List<String> lines, int chunks) throws IOException {
        String key = ObjectKeys.keyFor(Destination.parse(conf), job, seq, T, T);
        ChunkCompressor compressor = new ChunkCompressor(3, 3);
        BatchFraming framing = BatchFraming.forOptions(OutputOptions.defaults());
        int per = (lines.size() + chunks - 1) / chunks;
        List<BatchChunk> out = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            List<byte[]> part = new ArrayList<>();
            for (String line : lines.subList(i * per, Math.min(lines.size(), (i + 1) * per))) {
                part.add((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            byte[] data =
                    compressor.compress(Compression.GZIP, framing, part, i == 0, i == chunks - 1);
            out.add(BatchChunk.of(job, seq, conf, key, i, chunks, data, lines.size()));
        }
        return out;
    }

    private static void write(
            CommittingSinkWriter<BatchChunk, ObjectCommittable> writer, List<BatchChunk> chunks)
            throws Exception {
        for (BatchChunk c : chunks) {
            writer.write(c, null);
        }
    }
}
