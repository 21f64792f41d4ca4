package dev.sluice.sink.store;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A destination's assumed role closes the STS client it made, which the SDK's provider leaves. */
class AssumedRoleTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/logs";

    @Test
    void closingTheRoleClosesItsStsClient() {
        AtomicBoolean closed = new AtomicBoolean();
        StsClient sts =
                new StsClient() {
                    @Override
                    public String serviceName() {
                        return SERVICE_NAME;
                    }

                    @Override
                    public void close() {
                        closed.set(true);
                    }
                };

        new AssumedRole(ROLE, sts).close();

        assertThat(closed).isTrue();
    }

    @Test
    void aStoreOfADestinationWithARoleIsBuiltAndClosedWithoutAskingSts() {
        S3ObjectStore store =
                S3ObjectStore.create(
                        S3Clients.settingsOf(
                                dev.sluice.config.Destination.parse(
                                        "s3://logs/x?region=eu-west-1&credentials=default&role-arn="
                                                + ROLE)),
                        null);

        store.close();

        assertThat(
                        S3Clients.credentials(
                                S3Clients.settingsOf(
                                        dev.sluice.config.Destination.parse(
                                                "s3://logs/x?region=eu-west-1&role-arn=" + ROLE))))
                .isInstanceOf(AssumedRole.class);
    }
}
