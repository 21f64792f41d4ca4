package dev.sluice.sink.writer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of a batch being staged, kept until its store acknowledges them so that the batch can
 * be staged in the park store if its own store fails midway: in memory up to a limit, past it in a
 * spill file in the JVM's temp directory. So a batch of any size can be moved, and memory stays
 * bounded; only batches larger than the limit cost a local disk write.
 */
final class RetainedChunks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedChunks.class);

    private final long memoryLimit;
    private final List<byte[]> inMemory = new ArrayList<>();
    private long memoryBytes;
    private Path spill;
    private DataOutputStream spillOut;
    private int spilledChunks;

    RetainedChunks(long memoryLimit) {
        this.memoryLimit = memoryLimit;
    }

    void add(byte[] chunk) throws IOException {
        if (spill == null && memoryBytes + chunk.length <= memoryLimit) {
            inMemory.add(chunk);
            memoryBytes += chunk.length;
            return;
        }
        if (spill == null) {
            spill = Files.createTempFile("sluice-retained-", ".chunks");
            spillOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spill)));
        }
        spillOut.writeInt(chunk.length);
        spillOut.write(chunk);
        spilledChunks++;
    }

    /** Something that takes the chunks again, in order. */
    interface Replay {
        void accept(byte[] chunk) throws IOException;
    }

    /** Gives every chunk kept, in the order they were added. */
    void replay(Replay to) throws IOException {
        for (byte[] chunk : inMemory) {
            to.accept(chunk);
        }
        if (spill == null) {
            return;
        }
        spillOut.flush();
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(spill)))) {
            for (int i = 0; i < spilledChunks; i++) {
                byte[] chunk = new byte[in.readInt()];
                in.readFully(chunk);
                to.accept(chunk);
            }
        }
    }

    /** Bytes kept in memory (the spill file holds the rest). */
    long memoryBytes() {
        return memoryBytes;
    }

    boolean spilled() {
        return spill != null;
    }

    /** Forgets every chunk and deletes the spill file. */
    @Override
    public void close() {
        inMemory.clear();
        memoryBytes = 0;
        if (spill != null) {
            try {
                spillOut.close();
                Files.deleteIfExists(spill);
            } catch (IOException e) {
                LOG.warn("Could not delete the spill file {}: {}", spill, e.getMessage());
            } finally {
                spill = null;
            }
        }
    }
}
