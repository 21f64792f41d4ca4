package dev.sluice.buffer;

import dev.sluice.config.Destination;
import dev.sluice.encode.BatchFraming;
import dev.sluice.schemas.state.BufferMeta;
import dev.sluice.sink.ObjectKeys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/**
 * Frames a batch's records (batch prefix, delimiters, suffix), compresses it as one gzip object and
 * names it.
 */
final class BatchEncoder {

    private static final int GZIP_BUFFER = 64 * 1024;

    Batch encode(
            long jobId,
            BufferMeta meta,
            Iterable<byte[]> lines,
            BatchFraming framing,
            Destination destination,
            String destinationConf)
            throws IOException {
        ByteArrayOutputStream compressed =
                new ByteArrayOutputStream((int) Math.min(meta.getBytes() / 4 + 64, 1 << 26));
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, GZIP_BUFFER)) {
            framing.writeBatch(gzip, lines);
        }
        Batch batch = new Batch();
        batch.jobId = jobId;
        batch.seq = meta.getNextSeq();
        batch.destination = destinationConf;
        batch.records = meta.getRecords();
        batch.uncompressedBytes = meta.getBytes();
        batch.firstMicros = meta.getFirstMicros();
        batch.lastMicros = meta.getLastMicros();
        batch.key =
                ObjectKeys.keyFor(
                        destination, jobId, batch.seq, batch.firstMicros, batch.lastMicros);
        batch.payload = compressed.toByteArray();
        return batch;
    }
}
