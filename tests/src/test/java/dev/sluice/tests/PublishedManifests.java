package dev.sluice.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.HashMap;
import java.util.Map;

/** The manifests a run wrote, by the key of the object each describes. */
final class PublishedManifests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PublishedManifests() {}

    /** Reads every manifest under {@code prefix}, checking each sits at its job and sequence. */
    static Map<String, JsonNode> read(S3Client client, String bucket, String prefix)
            throws Exception {
        Map<String, JsonNode> byObjectKey = new HashMap<>();
        for (S3Object o :
                client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/"))
                        .contents()) {
            if (o.key().contains(".mpus-") || !o.key().endsWith(".json")) {
                continue;
            }
            JsonNode manifest =
                    JSON.readTree(
                            client.getObjectAsBytes(r -> r.bucket(bucket).key(o.key()))
                                    .asByteArray());
            String expected =
                    prefix
                            + "/"
                            + manifest.get("job_id").asLong()
                            + "/"
                            + manifest.get("seq").asLong()
                            + ".json";
            if (!expected.equals(o.key())) {
                throw new AssertionError("manifest at " + o.key() + " describes " + expected);
            }
            byObjectKey.put(manifest.get("key").asText(), manifest);
        }
        return byObjectKey;
    }
}
