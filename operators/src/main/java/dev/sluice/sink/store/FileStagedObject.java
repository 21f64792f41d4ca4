package dev.sluice.sink.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A hidden in-progress file, written as bytes arrive and synced before it is handed over. */
final class FileStagedObject implements StagedObject {

    private final Path temp;
    private final FileChannel channel;
    private long length;

    FileStagedObject(Path temp) throws IOException {
        this.temp = temp;
        this.channel =
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void append(byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        length += data.length;
    }

    /** Local files are written on the caller's thread: the future is done when this returns. */
    @Override
    public CompletableFuture<Staged> finishAsync() {
        try {
            channel.force(true);
            channel.close();
            return CompletableFuture.completedFuture(
                    new Staged(temp.getFileName().toString(), List.of(), length));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void abort() {
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // A leftover hidden temp file is never renamed; recovery's sweep deletes it.
        }
    }
}
