package dev.sluice.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of an HTTP server that holds back every request for a fixed
 * time before forwarding it: a slow object store, as seen by its client, without touching the
 * server. Responses pass through undelayed.
 *
 * <p>A request starts with the first client bytes of a connection and with the first client bytes
 * after response bytes went back; an interim {@code 100 Continue} response does not end a request,
 * so a body sent after it is not delayed a second time.
 */
final class DelayingProxy implements AutoCloseable {

    private static final byte[] INTERIM = "HTTP/1.1 100".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final int targetPort;
    private final long delayMillis;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong delayedRequests = new AtomicLong();
    private volatile boolean closed;

    /** Starts accepting on an ephemeral port of 127.0.0.1, forwarding to {@code targetPort}. */
    DelayingProxy(int targetPort, long delayMillis) throws IOException {
        this.targetPort = targetPort;
        this.delayMillis = delayMillis;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "delaying-proxy");
                            t.setDaemon(true);
                            return t;
                        });
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The base URI to give a client instead of the server's. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Requests held back so far. */
    long delayedRequests() {
        return delayedRequests.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                throw new UncheckedIOException("proxy stopped accepting", e);
            }
            track(client);
            Socket target = new Socket();
            track(target);
            try {
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(target);
                continue;
            }
            Connection connection = new Connection(client, target);
            threads.execute(connection::pumpRequests);
            threads.execute(connection::pumpResponses);
        }
    }

    /** Registers a socket for close(); one opened after close() is closed at once. */
    private void track(Socket socket) {
        sockets.add(socket);
        if (closed) {
            closeQuietly(socket);
        }
    }

    /** One client connection and its connection to the server. */
    private final class Connection {
        private final Socket client;
        private final Socket target;
        // Set before response bytes go back, so the client's next request can never race past it.
        private final AtomicBoolean requestStarts = new AtomicBoolean(true);

        Connection(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void pumpRequests() {
            byte[] buffer = new byte[BUFFER_BYTES];
            try (InputStream in = client.getInputStream();
                    OutputStream out = target.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (requestStarts.compareAndSet(true, false)) {
                        delayedRequests.incrementAndGet();
                        Thread.sleep(delayMillis);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // The connection ended or the proxy is closing; either way it is done.
            } finally {
                end();
            }
        }

        void pumpResponses() {
            byte[] buffer = new byte[BUFFER_BYTES];
            try (InputStream in = target.getInputStream();
                    OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!isInterim(buffer, n)) {
                        requestStarts.set(true);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // As above.
            } finally {
                end();
            }
        }

        private void end() {
            closeQuietly(client);
            closeQuietly(target);
            sockets.remove(client);
            sockets.remove(target);
        }
    }

    private static boolean isInterim(byte[] data, int length) {
        if (length < INTERIM.length) {
            return false;
        }
        for (int i = 0; i < INTERIM.length; i++) {
            if (data[i] != INTERIM[i]) {
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing is best effort: the peer may have gone already.
        }
    }

    /** Stops accepting, drops every connection and waits for the pump threads to end. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        closeQuietly(server);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        threads.shutdownNow();
        if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("proxy threads still running 10 s after close");
        }
    }
}
