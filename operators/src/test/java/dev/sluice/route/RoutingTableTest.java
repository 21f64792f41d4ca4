package dev.sluice.route;

import dev.sluice.config.ActiveConfig;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The routing table builds one encoder per distinct output options, not one per job. */
class RoutingTableTest {

    private static String job(long id, String customer, String outputType) {
        return String.format(
                Locale.ROOT,
                "{\"id\": %d, \"customer_id\": \"%s\", \"dataset\": \"http_requests\","
                        + " \"destination_conf\": \"file:///tmp/sluice/%s\", \"output_options\":"
                        + " {\"field_names\": [\"ClientIP\"], \"output_type\": \"%s\"}}",
                id,
                customer,
                customer,
                outputType);
    }

    @Test
    void jobsWithEqualOutputOptionsShareAnEncoder() throws Exception {
        RoutingTable table =
                new RoutingTable(
                        ActiveConfig.parse(
                                "{\"version\": 1, \"jobs\": ["
                                        + job(1, "c1", "ndjson")
                                        + ","
                                        + job(2, "c2", "ndjson")
                                        + ","
                                        + job(3, "c3", "csv")
                                        + "]}"));

        RoutingTable.Route first = table.routes("c1", "http_requests").get(0);
        RoutingTable.Route second = table.routes("c2", "http_requests").get(0);
        RoutingTable.Route csv = table.routes("c3", "http_requests").get(0);

        assertThat(second.encoder()).isSameAs(first.encoder());
        assertThat(csv.encoder()).isNotSameAs(first.encoder());
        assertThat(second.jobId()).isEqualTo(2);
    }
}
