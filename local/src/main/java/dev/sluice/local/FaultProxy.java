package dev.sluice.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A TCP proxy on 127.0.0.1 in front of an S3 server that reads each HTTP/1.1 exchange whole and
 * applies scripted faults by the kind of S3 request: answer it with {@code 500 InternalError}
 * without forwarding it, or forward it and drop the server's answer. Everything else passes through
 * unchanged, byte for byte, so signatures stay valid.
 *
 * <p>Exchanges are handled one at a time per connection, which is all an HTTP/1.1 client without
 * pipelining (the SDK's Apache client) does: keep-alive connections carry many of them, bodies are
 * framed by {@code Content-Length} or chunked encoding, and a request with {@code Expect:
 * 100-continue} gets the server's interim answer before its body is read. A connection the proxy
 * answered or dropped itself is closed afterwards, the way a failing server or network would.
 */
public final class FaultProxy implements AutoCloseable {

    /** The S3 operation of a request, from its method and query alone. */
    public enum Kind {
        CREATE_UPLOAD,
        UPLOAD_PART,
        COMPLETE_UPLOAD,
        /** A whole object in one request (a PUT without an upload id). */
        PUT_OBJECT,
        ABORT_UPLOAD,
        LIST_UPLOADS,
        HEAD,
        OTHER;

        public static Kind of(String method, String target) {
            int q = target.indexOf('?');
            Set<String> params = new HashSet<>();
            if (q >= 0) {
                for (String pair : target.substring(q + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    params.add(eq < 0 ? pair : pair.substring(0, eq));
                }
            }
            switch (method) {
                case "POST":
                    if (params.contains("uploads")) {
                        return CREATE_UPLOAD;
                    }
                    return params.contains("uploadId") ? COMPLETE_UPLOAD : OTHER;
                case "PUT":
                    if (params.contains("partNumber") && params.contains("uploadId")) {
                        return UPLOAD_PART;
                    }
                    // A bucket's creation is a PUT too, with no key after the bucket.
                    return objectPath(target) ? PUT_OBJECT : OTHER;
                case "DELETE":
                    return params.contains("uploadId") ? ABORT_UPLOAD : OTHER;
                case "GET":
                    return params.contains("uploads") ? LIST_UPLOADS : OTHER;
                case "HEAD":
                    return HEAD;
                default:
                    return OTHER;
            }
        }
    }

    /** Whether {@code target} (path-style) names an object, not only a bucket. */
    private static boolean objectPath(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        int slash = path.indexOf('/', 1);
        return slash > 0 && slash < path.length() - 1;
    }

    /** What the proxy does with one request. */
    public enum Action {
        FORWARD,
        FAIL,
        DROP_RESPONSE
    }

    private static final byte[] ERROR_BODY =
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
                            + "<Message>injected by FaultProxy</Message></Error>")
                    .getBytes(StandardCharsets.UTF_8);
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final int targetPort;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile long delayMillis;
    private final AtomicInteger delayed = new AtomicInteger();
    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicInteger peakHeld = new AtomicInteger();

    // Guarded by this: rules are consumed and counters updated as one step per request.
    private final Map<Kind, List<Rule>> rules = new EnumMap<>(Kind.class);
    private final Map<Kind, Map<Action, Integer>> actions = new EnumMap<>(Kind.class);
    private final Map<Kind, Map<Integer, Integer>> statuses = new EnumMap<>(Kind.class);
    private final List<String> events = new ArrayList<>();
    private final List<Answer> answers = new ArrayList<>();

    /** Starts accepting on an ephemeral port of 127.0.0.1, forwarding to {@code targetPort}. */
    public FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "fault-proxy");
                            t.setDaemon(true);
                            return t;
                        });
        threads.execute(this::acceptLoop);
    }

    /** The base URI to give a client instead of the server's. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /**
     * Holds every request that is forwarded for {@code millis} first: a slow store, or, with a
     * delay beyond the client's timeouts, a hanging one.
     */
    public FaultProxy delayEveryRequest(long millis) {
        delayMillis = millis;
        return this;
    }

    /** Requests held back by {@link #delayEveryRequest}. */
    public int delayedRequests() {
        return delayed.get();
    }

    /**
     * The most requests {@link #delayEveryRequest} held at the same moment: how many requests the
     * client had in flight at once.
     */
    public int peakConcurrentDelays() {
        return peakHeld.get();
    }

    /** Answers the next {@code count} requests of {@code kind} with 500, not forwarding them. */
    public synchronized FaultProxy failNext(Kind kind, int count) {
        return add(kind, new Rule(Action.FAIL, count, null));
    }

    /**
     * Answers the next request of {@code kind} with 500, and every later request with the same
     * method and target: a client's retries of that one request all fail, however many it makes,
     * and nothing else is touched.
     */
    public synchronized FaultProxy failEveryAttemptOfNext(Kind kind) {
        Rule rule = new Rule(Action.FAIL, Integer.MAX_VALUE, null);
        rule.sameRequestOnly = true;
        return add(kind, rule);
    }

    /**
     * Answers the next request of {@code kind} with 500, and the next {@code attempts - 1} requests
     * with the same method and target: that one request fails {@code attempts} times in a row,
     * whatever else the client sends meanwhile.
     */
    public synchronized FaultProxy failAttemptsOfNext(Kind kind, int attempts) {
        Rule rule = new Rule(Action.FAIL, attempts, null);
        rule.sameRequestOnly = true;
        return add(kind, rule);
    }

    /** Answers every request of {@code kind} with 500 for as long as {@code condition} holds. */
    public synchronized FaultProxy failWhile(Kind kind, BooleanSupplier condition) {
        return add(kind, new Rule(Action.FAIL, Integer.MAX_VALUE, condition));
    }

    /**
     * Forwards the next {@code count} requests of {@code kind}, reads the server's whole answer and
     * closes the client's connection instead of passing it on: the request took effect, the client
     * cannot know.
     */
    public synchronized FaultProxy dropResponseOfNext(Kind kind, int count) {
        return add(kind, new Rule(Action.DROP_RESPONSE, count, null));
    }

    private FaultProxy add(Kind kind, Rule rule) {
        rules.computeIfAbsent(kind, k -> new ArrayList<>()).add(rule);
        return this;
    }

    /** Requests of {@code kind} the proxy handled with {@code action} so far. */
    public synchronized int count(Kind kind, Action action) {
        return actions.getOrDefault(kind, Map.of()).getOrDefault(action, 0);
    }

    /**
     * Requests of {@code kind} that the server answered with {@code status} (dropped answers
     * included).
     */
    public synchronized int answered(Kind kind, int status) {
        return statuses.getOrDefault(kind, Map.of()).getOrDefault(status, 0);
    }

    /** Every fault applied so far, in order, for assertion messages. */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** Counters by kind, for assertion messages and logs. */
    public synchronized String summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            if (actions.containsKey(kind)) {
                s.put(kind.name(), actions.get(kind) + " answers " + statuses.get(kind));
            }
        }
        return s.toString();
    }

    private synchronized Action decide(Kind kind, String requestLine) {
        Action action = Action.FORWARD;
        for (Rule rule : rules.getOrDefault(kind, List.of())) {
            if (rule.applies(requestLine)) {
                action = rule.action;
                events.add(action + " " + requestLine);
                break;
            }
        }
        actions.computeIfAbsent(kind, k -> new EnumMap<>(Action.class))
                .merge(action, 1, Integer::sum);
        return action;
    }

    /** The request lines of {@code kind} that the server answered with {@code status}. */
    public synchronized List<String> answeredRequests(Kind kind, int status) {
        List<String> lines = new ArrayList<>();
        for (Answer a : answers) {
            if (a.kind == kind && a.status == status) {
                lines.add(a.requestLine);
            }
        }
        return lines;
    }

    private synchronized void answered(Kind kind, String requestLine, int status) {
        statuses.computeIfAbsent(kind, k -> new LinkedHashMap<>()).merge(status, 1, Integer::sum);
        answers.add(new Answer(kind, status, requestLine));
    }

    /** One request the server answered, dropped or not. */
    private record Answer(Kind kind, int status, String requestLine) {}

    /** A scripted fault: its action for matching requests, while its budget and condition last. */
    private static final class Rule {
        final Action action;
        final BooleanSupplier condition;
        int remaining;
        boolean sameRequestOnly;
        String request;

        Rule(Action action, int remaining, BooleanSupplier condition) {
            this.action = action;
            this.remaining = remaining;
            this.condition = condition;
        }

        boolean applies(String requestLine) {
            if (remaining <= 0 || (condition != null && !condition.getAsBoolean())) {
                return false;
            }
            if (sameRequestOnly) {
                if (request == null) {
                    request = requestLine;
                } else if (!request.equals(requestLine)) {
                    return false;
                }
            }
            remaining--;
            return true;
        }
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
            threads.execute(() -> serve(client));
        }
    }

    /** Registers a socket for close(); one opened after close() is closed at once. */
    private void track(Socket socket) {
        sockets.add(socket);
        if (closed) {
            closeQuietly(socket);
        }
    }

    private void serve(Socket client) {
        Socket target = null;
        try {
            client.setTcpNoDelay(true);
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            InputStream fromTarget = null;
            OutputStream toTarget = null;
            while (true) {
                Head request = Head.read(fromClient);
                if (request == null) {
                    return;
                }
                String[] line = request.firstLine.split(" ", 3);
                if (line.length < 3) {
                    return;
                }
                Kind kind = Kind.of(line[0], line[1]);
                Action action = decide(kind, request.firstLine);
                if (action == Action.FAIL) {
                    if (!request.expectsContinue()) {
                        // Read the body out: closing with unread input would reset the connection
                        // and the client could lose the answer.
                        copyBody(request, fromClient, OutputStream.nullOutputStream());
                    }
                    toClient.write(errorResponse());
                    toClient.flush();
                    return;
                }
                if (delayMillis > 0) {
                    delayed.incrementAndGet();
                    peakHeld.accumulateAndGet(holding.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(delayMillis);
                    } finally {
                        holding.decrementAndGet();
                    }
                }
                if (target == null) {
                    target = new Socket();
                    track(target);
                    target.connect(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                    target.setTcpNoDelay(true);
                    fromTarget = new BufferedInputStream(target.getInputStream());
                    toTarget = target.getOutputStream();
                }
                toTarget.write(request.bytes);
                Head response;
                if (request.expectsContinue() && request.hasBody()) {
                    toTarget.flush();
                    response = Head.read(fromTarget);
                    if (response == null) {
                        return;
                    }
                    if (response.status() == 100) {
                        toClient.write(response.bytes);
                        toClient.flush();
                        copyBody(request, fromClient, toTarget);
                        toTarget.flush();
                        response = readFinal(fromTarget, toClient, kind, action);
                    } else {
                        // Refused before the body: the client will not send it, and the
                        // connection's framing is no longer worth trusting.
                        answered(kind, request.firstLine, response.status());
                        relay(response, fromTarget, toClient, line[0], action);
                        return;
                    }
                } else {
                    copyBody(request, fromClient, toTarget);
                    toTarget.flush();
                    response = readFinal(fromTarget, toClient, kind, action);
                }
                if (response == null) {
                    return;
                }
                answered(kind, request.firstLine, response.status());
                boolean framed = relay(response, fromTarget, toClient, line[0], action);
                if (action == Action.DROP_RESPONSE
                        || !framed
                        || response.closes()
                        || request.closes()) {
                    return;
                }
            }
        } catch (IOException e) {
            // A side went away or the proxy is closing; either way this connection is done.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            sockets.remove(client);
            if (target != null) {
                closeQuietly(target);
                sockets.remove(target);
            }
        }
    }

    /** The server's final answer head; interim ones pass to the client unless being dropped. */
    private Head readFinal(InputStream fromTarget, OutputStream toClient, Kind kind, Action action)
            throws IOException {
        while (true) {
            Head response = Head.read(fromTarget);
            if (response == null || response.status() >= 200) {
                return response;
            }
            if (action != Action.DROP_RESPONSE) {
                toClient.write(response.bytes);
                toClient.flush();
            }
        }
    }

    /**
     * Passes (or, when dropping, only reads) the answer's head and body. False when the body runs
     * to the end of the connection, which then cannot carry another exchange.
     */
    private static boolean relay(
            Head response,
            InputStream fromTarget,
            OutputStream toClient,
            String method,
            Action action)
            throws IOException {
        OutputStream out =
                action == Action.DROP_RESPONSE ? OutputStream.nullOutputStream() : toClient;
        out.write(response.bytes);
        int status = response.status();
        boolean framed = true;
        if (!"HEAD".equals(method) && status != 204 && status != 304) {
            if (response.chunked() || response.contentLength() >= 0) {
                copyBody(response, fromTarget, out);
            } else {
                fromTarget.transferTo(out);
                framed = false;
            }
        }
        out.flush();
        return framed;
    }

    private static byte[] errorResponse() {
        String head =
                "HTTP/1.1 500 Internal Server Error\r\n"
                        + "Content-Type: application/xml\r\n"
                        + "Content-Length: "
                        + ERROR_BODY.length
                        + "\r\n"
                        + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + ERROR_BODY.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(ERROR_BODY, 0, all, h.length, ERROR_BODY.length);
        return all;
    }

    /** Copies a message body as framed by its head; a message without framing has none. */
    private static void copyBody(Head head, InputStream in, OutputStream out) throws IOException {
        if (head.chunked()) {
            copyChunked(in, out);
            return;
        }
        copyExactly(in, out, Math.max(0, head.contentLength()), "body");
    }

    /** Copies {@code bytes} bytes; fails if the stream ends first, naming {@code what} ended. */
    private static void copyExactly(InputStream in, OutputStream out, long bytes, String what)
            throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long remaining = bytes;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new EOFException(what + " ended " + remaining + " bytes short");
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                // Trailer fields, then the empty line that ends the message.
                String trailer;
                do {
                    trailer = readLine(in);
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                } while (!trailer.isEmpty());
                return;
            }
            copyExactly(in, out, size, "chunk");
            String end = readLine(in);
            if (!end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length;
                if (length > 0 && bytes[length - 1] == '\r') {
                    length--;
                }
                return new String(bytes, 0, length, StandardCharsets.US_ASCII);
            }
            line.write(b);
            if (line.size() > MAX_HEAD_BYTES) {
                throw new IOException("line too long");
            }
        }
        throw new EOFException("connection ended mid-line");
    }

    /** A request or response head: its exact bytes and the fields the proxy needs. */
    private static final class Head {
        final byte[] bytes;
        final String firstLine;
        final Map<String, String> fields;

        private Head(byte[] bytes, String firstLine, Map<String, String> fields) {
            this.bytes = bytes;
            this.firstLine = firstLine;
            this.fields = fields;
        }

        /** The next head on {@code in}; null when the connection ended between messages. */
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            int matched = 0;
            int b;
            while (matched < 4) {
                b = in.read();
                if (b < 0) {
                    if (raw.size() == 0) {
                        return null;
                    }
                    throw new EOFException("connection ended mid-head");
                }
                raw.write(b);
                if (raw.size() > MAX_HEAD_BYTES) {
                    throw new IOException("head too long");
                }
                boolean cr = matched % 2 == 0;
                if ((cr && b == '\r') || (!cr && b == '\n')) {
                    matched++;
                } else {
                    matched = b == '\r' ? 1 : 0;
                }
            }
            byte[] bytes = raw.toByteArray();
            String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    fields.merge(
                            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim(),
                            (a, c) -> a + ", " + c);
                }
            }
            return new Head(bytes, lines[0], fields);
        }

        int status() {
            String[] parts = firstLine.split(" ", 3);
            return Integer.parseInt(parts[1]);
        }

        long contentLength() {
            String value = fields.get("content-length");
            return value == null ? -1 : Long.parseLong(value.trim());
        }

        boolean chunked() {
            String value = fields.get("transfer-encoding");
            return value != null && value.toLowerCase(Locale.ROOT).contains("chunked");
        }

        boolean hasBody() {
            return chunked() || contentLength() > 0;
        }

        boolean expectsContinue() {
            String value = fields.get("expect");
            return value != null && value.equalsIgnoreCase("100-continue");
        }

        boolean closes() {
            String value = fields.get("connection");
            return value != null && value.toLowerCase(Locale.ROOT).contains("close");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing is best effort: the peer may have gone already.
        }
    }

    /** Stops accepting, drops every connection and waits for the connection threads to end. */
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
