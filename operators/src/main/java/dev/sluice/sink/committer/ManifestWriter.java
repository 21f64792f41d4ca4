package dev.sluice.sink.committer;

import dev.sluice.config.Destination;
import dev.sluice.sink.BatchManifest;
import dev.sluice.sink.store.ObjectStores;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the manifest of each committed object as {@code <prefix>/<job>/<seq>.json} to the
 * pipeline's manifest destination. The committer writes it after the object is visible, and again
 * when a retried commit finds the object already there, so a manifest never precedes its object and
 * is never missing once the commit succeeded; rewriting one gives the same bytes.
 */
public final class ManifestWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Destination destination;

    private ManifestWriter(Destination destination) {
        this.destination = destination;
    }

    /** A writer to {@code destinationConf}, or null when it is empty: no manifests. */
    public static ManifestWriter to(String destinationConf) {
        return destinationConf == null || destinationConf.isEmpty()
                ? null
                : new ManifestWriter(Destination.parse(destinationConf));
    }

    void write(ObjectStores stores, BatchManifest manifest) throws IOException {
        String name = manifest.jobId() + "/" + manifest.seq() + ".json";
        String prefix = destination.prefix();
        String key = prefix.isEmpty() ? name : prefix + "/" + name;
        byte[] json = JSON.writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8);
        stores.forDestination(destination).put(destination, key, json, "application/json");
    }
}
