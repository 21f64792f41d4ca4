package dev.sluice.tools;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.Parking;
import dev.sluice.sink.store.ListedObject;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which parked objects a redrive takes, and where each goes. */
class ParkedBatchesTest {

    private static final long T = 1_731_579_300_000_000L;
    private static final Destination PARK = Destination.parse("s3://park-bucket/parked");
    private static final Destination TO =
            Destination.parse("s3://logs-bucket/cust-01/{DATE}?region=eu-west-1");

    private static String parked(Destination to, long job, long seq) {
        return Parking.parkedKey(PARK, ObjectKeys.keyFor(to, job, seq, T, T));
    }

    private static ListedObject listed(String key) {
        return new ListedObject(key, 10, java.time.Instant.EPOCH);
    }

    @Test
    void mapsAParkedKeyBackToItsOriginalKey() {
        String original = ObjectKeys.keyFor(TO, 7, 12, T, T);
        String parkedKey = Parking.parkedKey(PARK, original);

        ParkedBatches.Batch batch =
                ParkedBatches.batchOf(
                                PARK, TO, new ListedObject(parkedKey, 99, java.time.Instant.EPOCH))
                        .orElseThrow();

        assertThat(parkedKey).startsWith("parked/cust-01/20241114/");
        assertThat(batch)
                .isEqualTo(
                        new ParkedBatches.Batch(
                                parkedKey,
                                "cust-01/20241114/20241114T101500Z_20241114T101500Z_7-12.log.gz",
                                7,
                                12,
                                99));
    }

    @Test
    void aParkWithoutPrefixHoldsTheOriginalKeysAsTheyAre() {
        Destination park = Destination.parse("s3://park-bucket");
        String original = ObjectKeys.keyFor(TO, 1, 2, T, T);

        assertThat(ParkedBatches.batchOf(park, TO, listed(original)).orElseThrow().originalKey())
                .isEqualTo(original);
    }

    @Test
    void passesOverUploadArtefactsOtherKeysAndOtherPrefixes() {
        Destination other = Destination.parse("s3://logs-bucket/cust-02/{DATE}");
        List<ListedObject> objects =
                List.of(
                        listed(parked(TO, 1, 0)),
                        listed(".mpus-abc-" + parked(TO, 1, 1) + "-1"),
                        listed(parked(TO, 1, 2) + ParkedBatches.UPLOAD_ARTIFACT + "stub"),
                        listed("parked/cust-01/20241114/README.txt"),
                        listed("parked/cust-01/20241114/x_1-2.log.gz.tmp"),
                        listed(parked(other, 2, 0)),
                        listed("elsewhere/" + ObjectKeys.keyFor(TO, 1, 3, T, T)));

        ParkedBatches.Selection s = ParkedBatches.select(PARK, TO, objects);

        assertThat(s.batches())
                .extracting(ParkedBatches.Batch::parkedKey)
                .containsExactly(parked(TO, 1, 0));
        assertThat(s.ignored()).isEqualTo(6);
    }

    @Test
    void theDatePartOfThePrefixMatchesAnyDate() {
        Destination fixed = Destination.parse("s3://logs-bucket/cust-01");
        Destination glued = Destination.parse("s3://logs-bucket/cust-01/d{DATE}");

        assertThat(ParkedBatches.isUnder(TO, "cust-01/20250101/a_b_1-1.log.gz")).isTrue();
        assertThat(ParkedBatches.isUnder(TO, "cust-010/20250101/a_b_1-1.log.gz")).isFalse();
        assertThat(ParkedBatches.isUnder(fixed, "cust-01/a_b_1-1.log.gz")).isTrue();
        assertThat(ParkedBatches.isUnder(fixed, "cust-010/a_b_1-1.log.gz")).isFalse();
        assertThat(ParkedBatches.isUnder(glued, "cust-01/d20250101/a_b_1-1.log.gz")).isTrue();
    }

    @Test
    void ordersBatchesByJobThenSequenceAndCountsThemPerJob() {
        ParkedBatches.Selection s =
                ParkedBatches.select(
                        PARK,
                        TO,
                        List.of(
                                listed(parked(TO, 2, 10)),
                                listed(parked(TO, 1, 9)),
                                listed(parked(TO, 2, 3)),
                                listed(parked(TO, 1, 10))));

        assertThat(s.batches())
                .extracting(b -> b.jobId() + "-" + b.seq())
                .containsExactly("1-9", "1-10", "2-3", "2-10");
        assertThat(s.batchesPerJob()).containsExactly(Map.entry(1L, 2), Map.entry(2L, 2));
        assertThat(s.forJob(2).batches())
                .extracting(ParkedBatches.Batch::seq)
                .containsExactly(3L, 10L);
    }

    @Test
    void aBatchParkedForItsDestinationMatchesWhateverTheCredentials() {
        String parkedFor =
                Destination.redact(
                        "s3://logs-bucket/cust-01/{DATE}?region=eu-west-1"
                                + "&access-key-id=AKIA1&secret-access-key=S1");

        assertThat(ParkedBatches.destinationMismatch(parkedFor, TO)).isEmpty();
    }

    @Test
    void aBatchParkedForAnotherBucketPrefixOrStoreIsRefused() {
        assertThat(ParkedBatches.destinationMismatch("s3://other-bucket/cust-01/{DATE}", TO))
                .hasValue("it was parked for s3://other-bucket/cust-01/{DATE}");
        assertThat(ParkedBatches.destinationMismatch("s3://logs-bucket/cust-02/{DATE}", TO))
                .isPresent();
        assertThat(
                        ParkedBatches.destinationMismatch(
                                "s3://logs-bucket/cust-01/{DATE}?endpoint=http://127.0.0.1:9", TO))
                .isPresent();
        assertThat(
                        ParkedBatches.destinationMismatch(
                                "r2://logs-bucket/cust-01/{DATE}?account-id=a", TO))
                .isPresent();
        assertThat(ParkedBatches.destinationMismatch(null, TO))
                .hasValue("it has no sluice-destination metadata");
        assertThat(ParkedBatches.destinationMismatch("not a destination", TO)).isPresent();
    }

    @Test
    void aMismatchNeverShowsCredentials() {
        String parkedFor = "s3://other-bucket/x?access-key-id=AKIA1&secret-access-key=TOPSECRET";

        assertThat(ParkedBatches.destinationMismatch(parkedFor, TO).orElseThrow())
                .doesNotContain("TOPSECRET")
                .doesNotContain("AKIA1");
    }

    @Test
    void endpointsDifferingOnlyInATrailingSlashAreOneStore() {
        assertThat(
                        ParkedBatches.sameStore(
                                Destination.parse("s3://b-1/x?endpoint=http://h:9000/"),
                                Destination.parse("s3://b-1/y?endpoint=HTTP://h:9000")))
                .isTrue();
    }

    @Test
    void refusesAParkThatHoldsTheTarget() {
        assertThat(overlap("s3://logs-bucket", "s3://logs-bucket/cust-01")).isPresent();
        assertThat(overlap("s3://logs-bucket/parked", "s3://logs-bucket/parked/cust-01/{DATE}"))
                .isPresent();
        assertThat(overlap("file:///data/park", "file:///data/park/logs")).isPresent();
        assertThat(overlap("s3://logs-bucket/parked", "s3://logs-bucket/parked-not/cust-01"))
                .isEmpty();
        assertThat(ParkedBatches.overlap(Destination.parse("s3://park-bucket"), TO)).isEmpty();
    }

    private static Optional<String> overlap(String park, String to) {
        return ParkedBatches.overlap(Destination.parse(park), Destination.parse(to));
    }

    @Test
    void deliversTheBatchMetadataWithoutTheParkingNotes() {
        Map<String, String> parked =
                Parking.metadata(
                        Map.of("sluice-job-id", "7", "sluice-records", "10"),
                        "s3://logs-bucket/x?secret-access-key=S",
                        "503 Slow Down");

        assertThat(ParkedBatches.deliveredMetadata(parked))
                .containsOnly(Map.entry("sluice-job-id", "7"), Map.entry("sluice-records", "10"));
    }
}
