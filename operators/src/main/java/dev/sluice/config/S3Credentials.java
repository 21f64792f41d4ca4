package dev.sluice.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a destination's S3 client gets its credentials, from its parameters. A reference ({@code
 * credentials=NAME}) names a secret the TaskManagers hold — the files of {@code NAME/} in the
 * credentials directory (a mounted Kubernetes Secret), or {@code default}, the SDK's standard chain
 * (environment, profile, web identity, container and instance roles) — so no secret travels with
 * the config. Inline keys ({@code access-key-id}, {@code secret-access-key}, optionally {@code
 * session-token}) remain for local use; {@code sluice.config.inline-credentials: reject} refuses
 * them. Either may be topped with {@code role-arn=}: the role is assumed with STS.
 *
 * @param reference the named secret, or {@code default}; empty with inline keys
 * @param roleArn a role to assume with the credentials found
 */
public record S3Credentials(
        Optional<String> reference,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        Optional<String> sessionToken,
        Optional<String> roleArn) {

    /** The SDK's standard chain: {@code credentials=default}, or no credential parameter. */
    public static final String DEFAULT_CHAIN = "default";

    /** The parameters that hold a secret inline, in the order they are named. */
    public static final java.util.List<String> INLINE_PARAMETERS =
            java.util.List.of("access-key-id", "secret-access-key", "session-token");

    /** A directory name: no path separators, no leading dot. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");

    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");

    static S3Credentials of(Map<String, String> params) {
        Optional<String> reference = Optional.ofNullable(params.get("credentials"));
        Optional<String> keyId = Optional.ofNullable(params.get("access-key-id"));
        Optional<String> secret = Optional.ofNullable(params.get("secret-access-key"));
        Optional<String> token = Optional.ofNullable(params.get("session-token"));
        Optional<String> role = Optional.ofNullable(params.get("role-arn"));
        if (keyId.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException(
                    "access-key-id and secret-access-key go together: give both, or name a"
                            + " credential with credentials=NAME");
        }
        if (token.isPresent() && keyId.isEmpty()) {
            throw new IllegalArgumentException(
                    "session-token goes with access-key-id and secret-access-key");
        }
        if (reference.isPresent() && keyId.isPresent()) {
            throw new IllegalArgumentException(
                    "credentials=NAME and inline keys exclude each other: keep the reference");
        }
        reference.ifPresent(
                name -> {
                    if (!NAME.matcher(name).matches()) {
                        throw new IllegalArgumentException(
                                "credentials must name a credential (letters, digits, . _ -; the"
                                        + " name of its directory) or be 'default', not '"
                                        + name
                                        + "'");
                    }
                });
        role.ifPresent(
                arn -> {
                    if (!ROLE_ARN.matcher(arn).matches()) {
                        throw new IllegalArgumentException(
                                "role-arn must be an IAM role ARN,"
                                        + " arn:aws:iam::123456789012:role/NAME");
                    }
                });
        return new S3Credentials(reference, keyId, secret, token, role);
    }

    /** Whether a secret is written in the config itself. */
    public boolean inline() {
        return accessKeyId.isPresent();
    }

    /** The inline parameters of {@code params} that hold a secret, in order; empty if none. */
    public static java.util.List<String> inlineParameters(Map<String, String> params) {
        return INLINE_PARAMETERS.stream().filter(params::containsKey).toList();
    }

    /** Never a secret: shows up in logs and failure messages. */
    @Override
    public String toString() {
        String source =
                inline()
                        ? "inline"
                        : reference
                                .map(r -> r.equals(DEFAULT_CHAIN) ? "default chain" : r)
                                .orElse("default chain");
        return roleArn.map(r -> source + " assuming " + r).orElse(source);
    }
}
