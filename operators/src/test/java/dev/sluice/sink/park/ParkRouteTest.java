package dev.sluice.sink.park;

import dev.sluice.sink.store.ObjectStores;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** What a parked batch says about why it was parked. */
class ParkRouteTest {

    private static final String BROKEN = "s3://broken-bucket/acme";

    private final AtomicLong clock = new AtomicLong(1_000);

    @Test
    void aBatchParkedDuringTheCooldownNamesTheFailureThatStartedIt() {
        try (ObjectStores stores = new ObjectStores()) {
            ParkRoute route =
                    new ParkRoute(
                            "file:///tmp/sluice-park-route",
                            new DestinationHealth(30_000, 60_000),
                            clock::get,
                            stores,
                            new UnregisteredMetricsGroup());
            assertThat(route.skippedReason(BROKEN)).isEqualTo(ParkRoute.SKIPPED);

            route.failed(7, BROKEN, 0, new IOException("Access Denied (Status Code: 403)"));

            assertThat(route.skips(BROKEN)).isTrue();
            assertThat(route.skippedReason(BROKEN))
                    .startsWith(ParkRoute.SKIPPED)
                    .endsWith("last failure: Access Denied (Status Code: 403)");

            route.delivered(BROKEN);
            assertThat(route.skippedReason(BROKEN)).isEqualTo(ParkRoute.SKIPPED);
        }
    }
}
