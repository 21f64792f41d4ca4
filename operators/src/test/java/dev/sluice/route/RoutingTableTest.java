package dev.sluice.route;

import dev.sluice.config.ActiveConfig;
import dev.sluice.encode.RecordEncoder;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing table asks for one encoder per distinct output options, not one per job, and is built
 * once per config in force in a JVM.
 */
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

    private static ActiveConfig config(String... jobs) throws Exception {
        return ActiveConfig.parse("{\"version\": 1, \"jobs\": [" + String.join(",", jobs) + "]}");
    }

    private static ActiveConfig threeJobs() throws Exception {
        return config(job(1, "c1", "ndjson"), job(2, "c2", "ndjson"), job(3, "c3", "csv"));
    }

    @Test
    void jobsWithEqualOutputOptionsShareAnEncoder() throws Exception {
        RoutingTable table = new RoutingTable(threeJobs());

        RoutingTable.Route first = table.routes("c1", "http_requests").get(0);
        RoutingTable.Route second = table.routes("c2", "http_requests").get(0);
        RoutingTable.Route csv = table.routes("c3", "http_requests").get(0);

        assertThat(second.encoder()).isEqualTo(first.encoder());
        assertThat(csv.encoder()).isNotEqualTo(first.encoder());
        assertThat(second.jobId()).isEqualTo(2);
        RecordEncoder[] encoders = table.newEncoders();
        assertThat(encoders).hasSize(2);
        assertThat(table.encoderOptions().get(csv.encoder()).outputType()).isEqualTo("csv");
        assertThat(table.newEncoders()[0]).isNotSameAs(encoders[0]);
    }

    @Test
    void everyRouteHasItsOwnIndexBelowTheRouteCount() throws Exception {
        RoutingTable table = new RoutingTable(threeJobs());

        assertThat(table.routeCount()).isEqualTo(3);
        assertThat(
                        java.util.stream.Stream.of("c1", "c2", "c3")
                                .map(c -> table.routes(c, "http_requests").get(0).index()))
                .containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void subtasksWithTheSameConfigShareOneTable() throws Exception {
        ActiveConfig config = threeJobs();

        RoutingTable table = RoutingTable.of(config);

        assertThat(RoutingTable.of(config)).isSameAs(table);
        assertThat(RoutingTable.of(threeJobs())).isNotSameAs(table);
        assertThat(table.routes("c1", "http_requests")).hasSize(1);
        assertThat(table.routes("c1", "dns_logs")).isEmpty();
        assertThat(table.routes("unknown", "http_requests")).isEmpty();
    }

    @Test
    void aTableNoRouterUsesCanBeCollectedBeforeTheNextLookup() throws Exception {
        // Neither the config nor its table is referenced after this line, and no table is asked
        // for again: a cache holding the table until its next use keeps it alive here.
        WeakReference<RoutingTable> table = new WeakReference<>(RoutingTable.of(threeJobs()));

        for (int i = 0; i < 20 && table.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }

        assertThat(table.get()).isNull();
    }

    @Test
    void aCustomerWithSeveralJobsGetsEachEnabledOneOnItsDataset() throws Exception {
        String dns = job(4, "c1", "ndjson").replace("http_requests", "dns_logs");
        String disabled =
                job(5, "c1", "ndjson").replace("{\"id\": 5,", "{\"id\": 5, \"enabled\": false,");
        RoutingTable table =
                new RoutingTable(
                        config(
                                job(1, "c1", "ndjson"),
                                job(2, "c2", "ndjson"),
                                job(3, "c1", "csv"),
                                dns,
                                disabled));

        assertThat(table.routes("c1", "http_requests"))
                .extracting(RoutingTable.Route::jobId)
                .containsExactly(1L, 3L);
        assertThat(table.routes("c1", "dns_logs"))
                .extracting(RoutingTable.Route::jobId)
                .containsExactly(4L);
        assertThat(table.routes("c2", "http_requests"))
                .extracting(RoutingTable.Route::jobId)
                .containsExactly(2L);
    }
}
