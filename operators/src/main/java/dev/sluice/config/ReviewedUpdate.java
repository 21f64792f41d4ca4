package dev.sluice.config;

/**
 * An update reviewed against a config in force, shared by the subtasks of this JVM that receive it
 * ({@link SharedConfigs#UPDATED}): one review, and one new state when it is accepted.
 *
 * @param review what the update does
 * @param next the state in force after it when accepted, else null
 */
record ReviewedUpdate(ConfigReview review, ConfigState next) {

    static ReviewedUpdate of(ConfigReview review) {
        return new ReviewedUpdate(
                review,
                review.kind() == ConfigVerdict.Kind.ACCEPTED
                        ? ConfigState.of(review.candidate())
                        : null);
    }
}
