package dev.sluice.sink.store;

import java.time.Instant;

/** An object as a listing reports it. */
public record ListedObject(String key, long length, Instant lastModified) {}
