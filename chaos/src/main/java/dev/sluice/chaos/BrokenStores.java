package dev.sluice.chaos;

import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.FaultProxy;
import dev.sluice.local.FreePort;

import java.io.IOException;
import java.net.URI;

/**
 * The stores behind the broken tenants' destinations, all on 127.0.0.1: the rig's S3 server with a
 * wrong secret or a bucket never created, a proxy answering 500 to everything, a proxy holding
 * every request 5 s (the job's attempt timeout is 300 ms), and a port nothing listens on.
 */
final class BrokenStores implements AutoCloseable {

    /** A bucket no one creates. */
    static final String MISSING_BUCKET = "sluice-chaos-never-created";

    /**
     * The slow tenant's own bucket: a request the client gave up on still reaches the server later
     * and may start an upload nobody knows of, which must not count against the audited buckets.
     */
    static final String SLOW_BUCKET = "sluice-chaos-slow";

    static final long SLOW_MILLIS = 5_000;

    private static final String SLOW_TIMEOUTS =
            "&attempt-timeout-ms=300&call-timeout-ms=1500&create-timeout-ms=1000";

    private final EmbeddedS3 s3;
    private final FaultProxy failing;
    private final FaultProxy slow;
    private final URI refused;

    BrokenStores(EmbeddedS3 s3) throws IOException {
        this.s3 = s3;
        s3.createBucket(SLOW_BUCKET);
        this.failing = new FaultProxy(s3.endpoint().getPort());
        for (FaultProxy.Kind kind : FaultProxy.Kind.values()) {
            failing.failWhile(kind, () -> true);
        }
        this.slow = new FaultProxy(s3.endpoint().getPort()).delayEveryRequest(SLOW_MILLIS);
        // Free a moment ago and never listened on: connections to it are refused.
        this.refused = URI.create("http://127.0.0.1:" + FreePort.pick());
    }

    /** The destination_conf of {@code breakage}'s tenant. */
    String destination(Breakage breakage) {
        String path = ChaosRig.BUCKET + "/" + breakage.customer() + "/{DATE}";
        switch (breakage) {
            case DENIED:
                return s3.destination(path).replace(s3.secretKey(), "not-the-secret");
            case MISSING_BUCKET:
                return s3.destination(MISSING_BUCKET + "/" + breakage.customer() + "/{DATE}");
            case FAILING:
                return s3.destination(path, failing.endpoint());
            case SLOW:
                return s3.destination(
                                SLOW_BUCKET + "/" + breakage.customer() + "/{DATE}",
                                slow.endpoint())
                        + SLOW_TIMEOUTS;
            case REFUSED:
                return s3.destination(path, refused);
            default:
                throw new IllegalArgumentException(breakage.name());
        }
    }

    /** Requests the 500 proxy answered and the slow one held. */
    String summary() {
        int failed = 0;
        for (FaultProxy.Kind kind : FaultProxy.Kind.values()) {
            failed += failing.count(kind, FaultProxy.Action.FAIL);
        }
        return "500 answered "
                + failed
                + " requests; slow held "
                + slow.delayedRequests()
                + " requests";
    }

    @Override
    public void close() throws InterruptedException {
        try {
            failing.close();
        } finally {
            slow.close();
        }
    }
}
