package dev.sluice.chaos;

import dev.sluice.sink.Parking;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reasons parked batches carry, read from the park bucket as an operator would: each object's
 * {@code sluice-parked-reason} metadata, by the customer its key starts with.
 */
final class ParkedReasons {

    private ParkedReasons() {}

    /** Customer → the reason of each of its parked objects ("" for an object without one). */
    static Map<String, List<String>> read(S3Client s3) {
        Map<String, List<String>> byCustomer = new TreeMap<>();
        String prefix = ChaosRig.PARK_PREFIX + "/";
        for (S3Object o :
                s3.listObjectsV2Paginator(r -> r.bucket(ChaosRig.PARK_BUCKET).prefix(prefix))
                        .contents()) {
            String customer = o.key().substring(prefix.length()).split("/", 2)[0];
            String reason =
                    s3.headObject(r -> r.bucket(ChaosRig.PARK_BUCKET).key(o.key()))
                            .metadata()
                            .getOrDefault(Parking.REASON, "");
            byCustomer.computeIfAbsent(customer, c -> new ArrayList<>()).add(reason);
        }
        return byCustomer;
    }
}
