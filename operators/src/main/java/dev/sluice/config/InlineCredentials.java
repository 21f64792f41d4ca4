package dev.sluice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code sluice.config.inline-credentials: reject}: neither the start config nor an update may add
 * or change a job whose {@code destination_conf} writes a secret inline, since whatever the config
 * holds travels through the config topic, state, checkpoints and savepoints. Jobs already in force
 * are left as they are (a savepoint of an earlier build may hold some): the refusal names what the
 * update brings; every job of a start config is new.
 */
final class InlineCredentials {

    private InlineCredentials() {}

    static Optional<String> refusal(List<DeliveryJob> candidate, ConfigDiff diff) {
        Set<Long> touched = new TreeSet<>(diff.added());
        touched.addAll(diff.modified());
        touched.addAll(diff.enabled());
        return refusal(candidate.stream().filter(j -> touched.contains(j.id())).toList());
    }

    /** The refusal of a start config: each of its jobs is new to the job. */
    static Optional<String> refusal(ConfigSnapshot start) {
        return refusal(start.jobs());
    }

    private static Optional<String> refusal(List<DeliveryJob> brought) {
        List<String> offenders = new ArrayList<>();
        for (DeliveryJob job : brought) {
            // Read jobs name their inline keys by reference (InlineSecrets); keys left in the
            // conf are the ones it could not take (the review refuses those anyway).
            Destination d = Destination.parse(job.destinationConf());
            boolean inline =
                    d.param("credentials").filter(InlineSecrets::isInlineReference).isPresent()
                            || S3Credentials.INLINE_PARAMETERS.stream()
                                    .anyMatch(p -> d.param(p).isPresent());
            if (inline) {
                offenders.add("job " + job.id());
            }
        }
        if (offenders.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                "writes credentials inline in destination_conf, which"
                        + " sluice.config.inline-credentials (reject) refuses: "
                        + String.join("; ", offenders)
                        + ". Give each TaskManager the secret as files (credentials directory"
                        + " NAME/access-key-id, NAME/secret-access-key) and name it with"
                        + " credentials=NAME instead");
    }
}
