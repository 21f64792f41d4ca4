package dev.sluice.tools;

import dev.sluice.config.Compression;
import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.Parking;
import dev.sluice.sink.store.ListedObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which objects under a park destination are parked batches that belong to a destination, and the
 * rules that keep a redrive from sending one customer's batches to another's bucket. No I/O here:
 * {@link RedriveCommand} lists and copies.
 */
final class ParkedBatches {

    /** S3Proxy's nio2 backends list an unfinished multipart upload's parts under this marker. */
    static final String UPLOAD_ARTIFACT = ".mpus-";

    private ParkedBatches() {}

    /**
     * {@code listed} without the objects modified after {@code cutoff}: a batch parked moments ago
     * may still be re-committed by a job restoring from a checkpoint, which must find it there.
     */
    static List<ListedObject> parkedBefore(List<ListedObject> listed, Instant cutoff) {
        return listed.stream().filter(o -> !o.lastModified().isAfter(cutoff)).toList();
    }

    /**
     * A parked batch and the key it was meant to have; a stranded one is the record of an upload
     * left staged in the destination ({@link dev.sluice.sink.StrandedUpload}).
     */
    record Batch(
            String parkedKey,
            String originalKey,
            long jobId,
            long seq,
            long length,
            boolean stranded) {

        Batch(String parkedKey, String originalKey, long jobId, long seq, long length) {
            this(parkedKey, originalKey, jobId, seq, length, false);
        }
    }

    /**
     * The parked batches that belong under a destination, in (job, sequence) order, and how many
     * listed objects were passed over (not Sluice batches, or for another prefix).
     */
    record Selection(List<Batch> batches, int ignored) {

        Selection forJob(long jobId) {
            return new Selection(
                    batches.stream().filter(b -> b.jobId() == jobId).toList(), ignored);
        }

        /** Job id to its number of batches. */
        SortedMap<Long, Integer> batchesPerJob() {
            SortedMap<Long, Integer> jobs = new TreeMap<>();
            for (Batch b : batches) {
                jobs.merge(b.jobId(), 1, Integer::sum);
            }
            return jobs;
        }
    }

    /** The listed objects of {@code park} that are batches parked on their way to {@code to}. */
    static Selection select(Destination park, Destination to, List<ListedObject> listed) {
        List<Batch> batches = new ArrayList<>();
        int ignored = 0;
        for (ListedObject object : listed) {
            Optional<Batch> batch = batchOf(park, to, object);
            if (batch.isPresent()) {
                batches.add(batch.get());
            } else {
                ignored++;
            }
        }
        batches.sort(
                Comparator.comparingLong(Batch::jobId)
                        .thenComparingLong(Batch::seq)
                        .thenComparing(Batch::parkedKey));
        return new Selection(List.copyOf(batches), ignored);
    }

    /** The batch a listed object of {@code park} is, if it is one and belongs under {@code to}. */
    static Optional<Batch> batchOf(Destination park, Destination to, ListedObject object) {
        String key = object.key();
        String parkPrefix = park.prefix().isEmpty() ? "" : park.prefix() + "/";
        if (key.contains(UPLOAD_ARTIFACT) || !key.startsWith(parkPrefix)) {
            return Optional.empty();
        }
        boolean stranded = Parking.isStranded(park, key);
        String original =
                stranded ? Parking.strandedOriginalKey(park, key) : Parking.originalKey(park, key);
        Optional<long[]> jobSeq = ObjectKeys.jobAndSequence(original);
        if (jobSeq.isEmpty() || !isUnder(to, original)) {
            return Optional.empty();
        }
        return Optional.of(
                new Batch(
                        key,
                        original,
                        jobSeq.get()[0],
                        jobSeq.get()[1],
                        object.length(),
                        stranded));
    }

    /**
     * Whether a batch key could be one of {@code to}'s: it lies under the prefix, or under the part
     * of it before {@code {DATE}}.
     */
    static boolean isUnder(Destination to, String key) {
        return key.startsWith(ObjectKeys.listingPrefix(to));
    }

    /**
     * Why a batch parked for {@code parkedFor} (its redacted {@code sluice-destination}) must not
     * go to {@code to}, if it must not. Credentials play no part: the park store never holds them.
     */
    static Optional<String> destinationMismatch(String parkedFor, Destination to) {
        if (parkedFor == null || parkedFor.isBlank()) {
            return Optional.of("it has no " + Parking.DESTINATION + " metadata");
        }
        Destination intended;
        try {
            intended = Destination.parse(parkedFor);
        } catch (IllegalArgumentException e) {
            return Optional.of("its " + Parking.DESTINATION + " is not a destination");
        }
        if (sameStore(intended, to) && intended.prefix().equals(to.prefix())) {
            return Optional.empty();
        }
        return Optional.of("it was parked for " + Destination.redact(parkedFor));
    }

    /**
     * Whether two destinations address the same bucket of the same store (all local files count as
     * one store).
     */
    static boolean sameStore(Destination a, Destination b) {
        return a.kind() == b.kind()
                && a.bucket().equals(b.bucket())
                && storeAddress(a).equals(storeAddress(b));
    }

    private static String storeAddress(Destination d) {
        String endpoint = d.param("endpoint").orElse("").trim().toLowerCase(Locale.ROOT);
        while (endpoint.endsWith("/")) {
            endpoint = endpoint.substring(0, endpoint.length() - 1);
        }
        return endpoint + "|" + d.param("account-id").orElse("");
    }

    /**
     * Why {@code park} and {@code to} cannot be used together, if they cannot: when the park's
     * prefix holds the target's objects, delivered batches would look parked, and a redrive would
     * copy them onto themselves and delete them.
     */
    static Optional<String> overlap(Destination park, Destination to) {
        if (!sameStore(park, to)) {
            return Optional.empty();
        }
        if (park.prefix().isEmpty()) {
            return Optional.of(
                    "the park destination has no prefix and is the same bucket as --to:"
                            + " delivered batches would look parked");
        }
        if (ObjectKeys.listingPrefix(to).startsWith(park.prefix() + "/")) {
            return Optional.of("--to lies inside the park destination's prefix " + park.prefix());
        }
        return Optional.empty();
    }

    /** The media type a batch's key implies, for objects stored without one. */
    static String contentTypeOf(String key) {
        for (Compression c : Compression.values()) {
            if (key.endsWith(c.keySuffix())) {
                return c.contentType();
            }
        }
        return "application/octet-stream";
    }

    /** The metadata a redriven batch is delivered with: its own, without the parking notes. */
    static Map<String, String> deliveredMetadata(Map<String, String> parked) {
        Map<String, String> m = new LinkedHashMap<>(parked);
        m.remove(Parking.DESTINATION);
        m.remove(Parking.REASON);
        return m;
    }
}
