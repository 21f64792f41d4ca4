package dev.sluice.local;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.filesystem.reference.FilesystemConstants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An S3 API server (S3Proxy) running in this JVM on 127.0.0.1, storing objects as plain files.
 *
 * <p>It uses the {@code filesystem-nio2} backend: objects are readable as {@code
 * <dataDir>/<bucket>/<key>}, and unlike jclouds' plain {@code filesystem} backend it does not list
 * directories as objects.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String PROVIDER = "filesystem-nio2";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    /** The temp file of a PUT: the key, a dash and a UUID. */
    private static final Pattern CUT_OFF_WRITE =
            Pattern.compile(".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;
    private final Path dataDir;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(
            S3Proxy proxy,
            BlobStoreContext context,
            URI endpoint,
            Path dataDir,
            String accessKey,
            String secretKey) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
        this.dataDir = dataDir;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts S3Proxy on {@code port} (0 picks a free one) with buckets as folders of {@code
     * dataDir}, accepting AWS V2 or V4 signatures made with the given keys.
     */
    public static EmbeddedS3 start(int port, Path dataDir, String accessKey, String secretKey) {
        Path dir = createDirectories(dataDir);
        BlobStoreContext context = blobStoreContext(dir);
        S3Proxy proxy =
                S3Proxy.builder()
                        .blobStore(context.getBlobStore())
                        .endpoint(URI.create("http://" + HOST + ":" + port))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                        .build();
        try {
            proxy.start();
            awaitStarted(proxy);
        } catch (Exception e) {
            IllegalStateException failure =
                    new IllegalStateException("Could not start S3Proxy on " + HOST + ":" + port, e);
            try {
                stop(proxy, context);
            } catch (RuntimeException stopFailure) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
        // Read the bound port now: S3Proxy reports a negative one once stopped.
        URI endpoint = URI.create("http://" + HOST + ":" + proxy.getPort());
        return new EmbeddedS3(proxy, context, endpoint, dir, accessKey, secretKey);
    }

    /** The base URI of the S3 API, {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The directory whose sub-folders are the buckets. */
    public Path bucketDir() {
        return dataDir;
    }

    /** The access key id that requests must be signed with. */
    public String accessKey() {
        return accessKey;
    }

    /** The secret key that requests must be signed with. */
    public String secretKey() {
        return secretKey;
    }

    /**
     * Removes what the file backend keeps of a PUT cut off midway (its client went away): a temp
     * file beside the key, named after it plus a UUID, without the object's attributes. A real
     * store keeps nothing of such a request; this one fails every later listing of the bucket on it
     * (500: "Unable to get size of extended attribute 'user.content-md5'"), so a caller that killed
     * writers midway sweeps before it lists.
     *
     * @return how many were removed
     */
    public int removeCutOffWrites() throws IOException {
        List<Path> cutOff;
        try (Stream<Path> files = Files.walk(dataDir)) {
            cutOff = files.filter(EmbeddedS3::isCutOffWrite).toList();
        }
        for (Path p : cutOff) {
            Files.deleteIfExists(p);
        }
        return cutOff.size();
    }

    private static boolean isCutOffWrite(Path p) {
        if (!Files.isRegularFile(p)
                || !CUT_OFF_WRITE.matcher(p.getFileName().toString()).matches()) {
            return false;
        }
        try {
            UserDefinedFileAttributeView attributes =
                    Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            return attributes != null && !attributes.list().contains("content-md5");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes a bucket's objects under {@code folder} (a key prefix ending before a '/'), or the
     * whole bucket when it is empty, straight through the server's store: a bulk delete over the S3
     * API fails here (S3Proxy refuses the checksum header the SDK sends with it).
     */
    public void removeObjects(String bucket, String folder) {
        BlobStore store = context.getBlobStore();
        if (folder.isEmpty()) {
            store.clearContainer(bucket, ListContainerOptions.Builder.recursive());
            store.deleteContainer(bucket);
        } else {
            store.clearContainer(
                    bucket, ListContainerOptions.Builder.inDirectory(folder).recursive());
            store.deleteDirectory(bucket, folder);
        }
    }

    /** Creates a bucket; an existing bucket is fine. */
    public void createBucket(String name) {
        context.getBlobStore().createContainerInLocation(null, name);
    }

    /**
     * A new SDK client for this server; the caller closes it. Checksums only when required: S3Proxy
     * 3.0.0 rejects the SDK's default checksum-trailer uploads ("The provided
     * 'x-amz-content-sha256' header does not match what was computed").
     */
    public S3Client newClient() {
        return newClient(endpoint);
    }

    /** A job's {@code destination_conf} for {@code s3://<path>} on this server. */
    public String destination(String path) {
        return destination(path, endpoint);
    }

    /**
     * A job's {@code destination_conf} for {@code s3://<path>} on this server, reached through
     * {@code through}, e.g. a proxy before it.
     */
    public String destination(String path, URI through) {
        return "s3://"
                + path
                + "?region=us-east-1&endpoint="
                + through
                + "&access-key-id="
                + accessKey
                + "&secret-access-key="
                + secretKey;
    }

    /**
     * A job's {@code destination_conf} for {@code s3://<path>} on this server that names its
     * credential ({@code credentials=NAME}) instead of writing the keys: the TaskManagers read them
     * from the files of {@code NAME/} in their credentials directory.
     */
    public String namedDestination(String path, String credential) {
        return "s3://"
                + path
                + "?region=us-east-1&endpoint="
                + endpoint
                + "&credentials="
                + credential;
    }

    /** A new SDK client for this server reached through {@code through}, e.g. a proxy before it. */
    public S3Client newClient(URI through) {
        return S3Client.builder()
                .endpointOverride(through)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(accessKey, secretKey)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** Stops the server and releases the blob store. */
    @Override
    public void close() {
        stop(proxy, context);
    }

    private static void stop(S3Proxy proxy, BlobStoreContext context) {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop S3Proxy", e);
        } finally {
            context.close();
        }
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "S3Proxy still "
                                + proxy.getState()
                                + " after "
                                + STARTUP_TIMEOUT.toSeconds()
                                + " s");
            }
            Thread.sleep(20);
        }
    }

    private static BlobStoreContext blobStoreContext(Path dir) {
        Properties overrides = new Properties();
        overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dir.toString());
        // jclouds insists on an identity; the local file system backend never checks it.
        return ContextBuilder.newBuilder(PROVIDER)
                .credentials("local", "local")
                .overrides(overrides)
                .build(BlobStoreContext.class);
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + dir, e);
        }
    }
}
