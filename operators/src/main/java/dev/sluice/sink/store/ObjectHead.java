package dev.sluice.sink.store;

import java.util.Map;
import java.util.Optional;

/**
 * What a store knows of one object.
 *
 * @param length the object's length in bytes
 * @param contentType the media type it was stored with; empty where the store keeps none
 * @param metadata its user metadata (S3 {@code x-amz-meta-*}); empty where the store keeps none
 */
public record ObjectHead(long length, Optional<String> contentType, Map<String, String> metadata) {

    public ObjectHead {
        metadata = Map.copyOf(metadata);
    }
}
