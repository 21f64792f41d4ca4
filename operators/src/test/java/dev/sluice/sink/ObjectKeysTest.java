package dev.sluice.sink;

import dev.sluice.config.Destination;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectKeysTest {

    private static final long FIRST = 1_731_579_300_000_000L; // 2024-11-14T10:15:00Z
    private static final long LAST = FIRST + 59_999_999L;

    @Test
    void namesObjectsAfterLogpushWithJobAndSequence() {
        Destination d = Destination.parse("s3://logs/acme/http/{DATE}");

        assertThat(ObjectKeys.keyFor(d, 42, 7, FIRST, LAST))
                .isEqualTo("acme/http/20241114/20241114T101500Z_20241114T101559Z_42-7.log.gz");
        assertThat(ObjectKeys.keyFor(Destination.parse("s3://logs"), 1, 0, FIRST, FIRST))
                .isEqualTo("20241114T101500Z_20241114T101500Z_1-0.log.gz");
    }

    @Test
    void readsTheSequenceBackOnlyForTheSameJob() {
        String key = "acme/20241114/20241114T101500Z_20241114T101559Z_42-7.log.gz";

        assertThat(ObjectKeys.sequenceOf(key, 42)).hasValue(7);
        assertThat(ObjectKeys.sequenceOf(key, 4)).isEmpty();
        assertThat(ObjectKeys.sequenceOf("acme/other.txt", 42)).isEmpty();
    }

    @Test
    void listsJobsUnderTheFixedPartOfThePrefix() {
        assertThat(ObjectKeys.listingPrefix(Destination.parse("s3://logs/acme/{DATE}/http")))
                .isEqualTo("acme/");
        assertThat(ObjectKeys.listingPrefix(Destination.parse("s3://logs/acme")))
                .isEqualTo("acme/");
        assertThat(ObjectKeys.listingPrefix(Destination.parse("s3://logs"))).isEmpty();
    }
}
