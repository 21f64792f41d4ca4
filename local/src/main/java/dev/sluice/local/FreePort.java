package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A port free on this machine now, for a server started next (a small race, accepted here). */
public final class FreePort {

    private FreePort() {}

    /** A port the system picks, released before it is returned. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }
}
