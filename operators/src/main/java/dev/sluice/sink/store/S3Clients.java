package dev.sluice.sink.store;

import dev.sluice.config.Destination;

import software.amazon.awssdk.services.s3.S3Client;

/** S3 clients for tools outside the job (redrive): configured exactly as the job's are. */
public final class S3Clients {

    private S3Clients() {}

    /** A new client for {@code destination}'s endpoint, region and credentials; caller closes. */
    public static S3Client forDestination(Destination destination) {
        return S3ObjectStore.newClient(S3ClientSettings.of(destination));
    }
}
