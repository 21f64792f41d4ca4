package dev.sluice.sink.store;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The credentials of a role assumed with STS ({@code role-arn=}), refreshed before they expire,
 * with the STS client that fetches them. The SDK's provider leaves the client it is given open (its
 * close only ends the refresh), so this closes both: a destination's store closes it with its S3
 * client, and no STS connection pool outlives the destination.
 */
final class AssumedRole implements AwsCredentialsProvider, SdkAutoCloseable {

    private static final String SESSION_NAME = "sluice-delivery";

    private final StsClient sts;
    private final StsAssumeRoleCredentialsProvider provider;

    /** Assumes {@code roleArn} in {@code region} with the credentials of {@code base}. */
    AssumedRole(String roleArn, String region, AwsCredentialsProvider base) {
        this(
                roleArn,
                StsClient.builder().region(Region.of(region)).credentialsProvider(base).build());
    }

    AssumedRole(String roleArn, StsClient sts) {
        this.sts = sts;
        this.provider =
                StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts)
                        .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME))
                        .build();
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return provider.resolveCredentials();
    }

    @Override
    public void close() {
        provider.close();
        sts.close();
    }

    /** The role only: never a credential. */
    @Override
    public String toString() {
        return "AssumedRole[" + SESSION_NAME + "]";
    }
}
