package dev.sluice.tests;

import dev.sluice.local.DeliveredObject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code RecordId}s of NDJSON objects read back from the bucket, as the tests check them. */
final class DeliveredRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeliveredRecords() {}

    /**
     * The ids in one object; when {@code customer} is given, every line must be that customer's.
     */
    static List<String> ids(DeliveredObject object, String customer) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : object.lines()) {
            JsonNode record = JSON.readTree(line);
            if (customer != null) {
                assertThat(record.get("Customer").asText())
                        .as("record in %s", object.key())
                        .isEqualTo(customer);
            }
            ids.add(record.get("RecordId").asText());
        }
        return ids;
    }

    /** The ids in all of a job's objects. */
    static List<String> ids(List<DeliveredObject> objects, long jobId) throws IOException {
        List<String> ids = new ArrayList<>();
        for (DeliveredObject object : objects) {
            if (object.jobId() == jobId) {
                ids.addAll(ids(object, null));
            }
        }
        return ids;
    }
}
