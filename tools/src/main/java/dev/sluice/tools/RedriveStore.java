package dev.sluice.tools;

import dev.sluice.config.Compression;
import dev.sluice.config.Destination;
import dev.sluice.sink.store.ContentMd5;
import dev.sluice.sink.store.S3Clients;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The few object operations a redrive needs, on one destination's bucket or on local files. {@link
 * #write} makes an object visible whole or not at all.
 */
interface RedriveStore extends AutoCloseable {

    /** What a store knows of an object. */
    record Head(long length, String contentType, Map<String, String> metadata) {}

    /** The store of {@code d}: its bucket with a client configured as the job's, or local files. */
    static RedriveStore open(Destination d) {
        return "file".equals(d.scheme())
                ? new LocalFiles()
                : new S3(d, S3Clients.forDestination(d));
    }

    /** Every object whose key starts with {@code prefix}. */
    List<ParkedBatches.Listed> list(String prefix) throws IOException;

    Optional<Head> head(String key) throws IOException;

    InputStream read(String key) throws IOException;

    /**
     * Writes {@code length} bytes of {@code body} under {@code key}, visible only once all are
     * there; fails, leaving nothing visible, if the body is shorter or longer.
     */
    void write(
            String key,
            InputStream body,
            long length,
            String contentType,
            Map<String, String> metadata)
            throws IOException;

    void delete(String key) throws IOException;

    /** Whether objects carry user metadata; local files do not. */
    boolean hasMetadata();

    /** The object's address for people: {@code s3://bucket/key} or a path. */
    String location(String key);

    @Override
    void close();

    /** The media type a batch's key implies, for objects stored without one. */
    static String contentTypeOf(String key) {
        for (Compression c : Compression.values()) {
            if (key.endsWith(c.keySuffix())) {
                return c.contentType();
            }
        }
        return "application/octet-stream";
    }

    /** An S3, R2 or S3-compatible bucket. */
    final class S3 implements RedriveStore {

        /** As the sink's parts: S3 wants at least 5 MiB for all but the last. */
        static final int PART_SIZE = 8 * 1024 * 1024;

        private final Destination destination;
        private final S3Client client;

        S3(Destination destination, S3Client client) {
            this.destination = destination;
            this.client = client;
        }

        @Override
        public List<ParkedBatches.Listed> list(String prefix) throws IOException {
            List<ParkedBatches.Listed> listed = new ArrayList<>();
            try {
                for (S3Object o :
                        client.listObjectsV2Paginator(
                                        r -> r.bucket(destination.bucket()).prefix(prefix))
                                .contents()) {
                    listed.add(new ParkedBatches.Listed(o.key(), o.size(), o.lastModified()));
                }
            } catch (SdkException e) {
                throw new IOException(
                        "listing " + location(prefix) + " failed: " + e.getMessage(), e);
            }
            return listed;
        }

        @Override
        public Optional<Head> head(String key) throws IOException {
            try {
                HeadObjectResponse h =
                        client.headObject(r -> r.bucket(destination.bucket()).key(key));
                String type = h.contentType() == null ? contentTypeOf(key) : h.contentType();
                return Optional.of(new Head(h.contentLength(), type, h.metadata()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                // A HEAD response has no body, so a missing key may come as a bare 404.
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw new IOException("reading " + location(key) + " failed: " + e.getMessage(), e);
            } catch (SdkException e) {
                throw new IOException("reading " + location(key) + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public InputStream read(String key) throws IOException {
            try {
                return client.getObject(r -> r.bucket(destination.bucket()).key(key));
            } catch (SdkException e) {
                throw new IOException("reading " + location(key) + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void write(
                String key,
                InputStream body,
                long length,
                String contentType,
                Map<String, String> metadata)
                throws IOException {
            if (length < PART_SIZE) {
                byte[] bytes = readExactly(body, (int) length, key);
                try {
                    client.putObject(
                            r ->
                                    r.bucket(destination.bucket())
                                            .key(key)
                                            .contentType(contentType)
                                            .metadata(metadata)
                                            .contentLength(length)
                                            .contentMD5(ContentMd5.of(bytes, bytes.length)),
                            RequestBody.fromBytes(bytes));
                } catch (SdkException e) {
                    throw new IOException(
                            "writing " + location(key) + " failed: " + e.getMessage(), e);
                }
            } else {
                writeMultipart(key, body, length, contentType, metadata);
            }
        }

        /**
         * Streams the body through one part buffer: memory stays at one part however large the
         * batch, and the object appears only when the upload completes.
         */
        private void writeMultipart(
                String key,
                InputStream body,
                long length,
                String contentType,
                Map<String, String> metadata)
                throws IOException {
            String uploadId;
            try {
                uploadId =
                        client.createMultipartUpload(
                                        r ->
                                                r.bucket(destination.bucket())
                                                        .key(key)
                                                        .contentType(contentType)
                                                        .metadata(metadata))
                                .uploadId();
            } catch (SdkException e) {
                throw new IOException("staging " + location(key) + " failed: " + e.getMessage(), e);
            }
            try {
                List<CompletedPart> parts = new ArrayList<>();
                byte[] part = new byte[PART_SIZE];
                long total = 0;
                while (true) {
                    int n = body.readNBytes(part, 0, PART_SIZE);
                    if (n == 0) {
                        break;
                    }
                    total += n;
                    if (total > length) {
                        throw new IOException(
                                location(key) + ": the source has more than " + length + " bytes");
                    }
                    parts.add(uploadPart(key, uploadId, parts.size() + 1, part, n));
                }
                if (total != length) {
                    throw new IOException(
                            location(key)
                                    + ": the source ended after "
                                    + total
                                    + " of "
                                    + length
                                    + " bytes");
                }
                client.completeMultipartUpload(
                        r ->
                                r.bucket(destination.bucket())
                                        .key(key)
                                        .uploadId(uploadId)
                                        .multipartUpload(
                                                CompletedMultipartUpload.builder()
                                                        .parts(parts)
                                                        .build()));
            } catch (IOException | RuntimeException e) {
                abort(key, uploadId, e);
                if (e instanceof SdkException) {
                    throw new IOException(
                            "writing " + location(key) + " failed: " + e.getMessage(), e);
                }
                throw e;
            }
        }

        private CompletedPart uploadPart(
                String key, String uploadId, int number, byte[] part, int size) {
            String etag =
                    client.uploadPart(
                                    r ->
                                            r.bucket(destination.bucket())
                                                    .key(key)
                                                    .uploadId(uploadId)
                                                    .partNumber(number)
                                                    .contentLength((long) size)
                                                    .contentMD5(ContentMd5.of(part, size)),
                                    // A fresh view for every attempt: retries resend it whole.
                                    RequestBody.fromContentProvider(
                                            () -> new ByteArrayInputStream(part, 0, size),
                                            size,
                                            "application/octet-stream"))
                            .eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        }

        private void abort(String key, String uploadId, Exception cause) {
            try {
                client.abortMultipartUpload(
                        r -> r.bucket(destination.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                // Never completed, so never visible; the store's lifecycle rule can clear it.
                cause.addSuppressed(e);
            }
        }

        @Override
        public void delete(String key) throws IOException {
            try {
                client.deleteObject(r -> r.bucket(destination.bucket()).key(key));
            } catch (SdkException e) {
                throw new IOException(
                        "deleting " + location(key) + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean hasMetadata() {
            return true;
        }

        @Override
        public String location(String key) {
            return destination.scheme() + "://" + destination.bucket() + "/" + key;
        }

        @Override
        public void close() {
            client.close();
        }

        private static byte[] readExactly(InputStream body, int length, String key)
                throws IOException {
            byte[] bytes = body.readNBytes(length);
            if (bytes.length != length) {
                throw new IOException(
                        key + ": the source ended after " + bytes.length + " of " + length);
            }
            if (body.read() >= 0) {
                throw new IOException(key + ": the source has more than " + length + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Local files, as the sink's {@code file://} store lays them out: a key is the absolute path
     * {@code /key}.
     */
    final class LocalFiles implements RedriveStore {

        private static final String TEMP_MARKER = ".redrive.";

        @Override
        public List<ParkedBatches.Listed> list(String prefix) throws IOException {
            Path root = pathOf(prefix);
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            List<ParkedBatches.Listed> listed = new ArrayList<>();
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    // Hidden files are the sink's and this tool's in-progress writes.
                    if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                        listed.add(
                                new ParkedBatches.Listed(
                                        p.toString().substring(1),
                                        Files.size(p),
                                        Files.getLastModifiedTime(p).toInstant()));
                    }
                }
            }
            return listed;
        }

        @Override
        public Optional<Head> head(String key) throws IOException {
            Path p = pathOf(key);
            try {
                if (!Files.isRegularFile(p)) {
                    return Optional.empty();
                }
                return Optional.of(new Head(Files.size(p), contentTypeOf(key), Map.of()));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }

        @Override
        public InputStream read(String key) throws IOException {
            return Files.newInputStream(pathOf(key));
        }

        /** Synced under a hidden name, then renamed: a reader never sees half of it. */
        @Override
        public void write(
                String key,
                InputStream body,
                long length,
                String contentType,
                Map<String, String> metadata)
                throws IOException {
            Path target = pathOf(key);
            Files.createDirectories(target.getParent());
            Path temp =
                    target.resolveSibling(
                            "." + target.getFileName() + TEMP_MARKER + UUID.randomUUID());
            try {
                long written;
                try (FileChannel channel =
                        FileChannel.open(
                                temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    OutputStream out = Channels.newOutputStream(channel);
                    written = body.transferTo(out);
                    out.flush();
                    channel.force(true);
                }
                if (written != length) {
                    throw new IOException(
                            target + ": the source had " + written + " bytes, not " + length);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }

        @Override
        public void delete(String key) throws IOException {
            Files.deleteIfExists(pathOf(key));
        }

        @Override
        public boolean hasMetadata() {
            return false;
        }

        @Override
        public String location(String key) {
            return pathOf(key).toString();
        }

        @Override
        public void close() {}

        private static Path pathOf(String key) {
            return Path.of("/" + key);
        }
    }
}
