package dev.sluice.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads every object back from the S3 server, as a customer would, decompresses it and compares its
 * lines with what the generator sent ({@link SentLedger}): records lost, duplicated, in another
 * customer's object, or of no configured customer; objects truncated (not a whole gzip or zstd
 * file, a last line cut, or fewer lines than the object's metadata says); multipart uploads left
 * behind. Then the job's own ledger, the counts each object carries in its metadata, against what
 * was found. Nothing here trusts the job's metrics.
 */
public final class DeliveryAudit {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Key marker of in-progress multipart uploads on S3Proxy's nio2 backends. */
    private static final String MULTIPART_MARKER = ".mpus-";

    private final S3Client s3;
    private final SentLedger sent;
    private final Map<Long, String> jobs;

    /**
     * @param jobs every delivery job and its customer: every acknowledged record of these customers
     *     must be delivered or parked once, and nothing else may be
     */
    public DeliveryAudit(S3Client s3, SentLedger sent, Map<Long, String> jobs) {
        this.s3 = s3;
        this.sent = sent;
        this.jobs = Map.copyOf(jobs);
    }

    /** What the audit found. */
    public record Result(
            long objects,
            long parkedObjects,
            long delivered,
            long parked,
            long expected,
            long lost,
            long duplicated,
            long crossTenant,
            long unexpected,
            long truncated,
            long staleUploads,
            long ledgerMismatches,
            Map<Long, Long> deliveredByJob,
            Map<Long, Long> parkedByJob,
            List<String> problems) {

        /** The checks every scenario makes of its delivery. */
        public List<Check> checks(String scope) {
            List<Check> checks = new ArrayList<>();
            checks.add(Check.equal(scope + " records lost", 0, lost));
            checks.add(Check.equal(scope + " records duplicated", 0, duplicated));
            checks.add(Check.equal("records in another customer's object", 0, crossTenant));
            checks.add(Check.equal("records of no configured job delivered", 0, unexpected));
            checks.add(Check.equal("truncated or corrupt objects", 0, truncated));
            checks.add(Check.equal("stale multipart uploads", 0, staleUploads));
            checks.add(
                    Check.equal(
                            "jobs whose object ledger disagrees with the bucket",
                            0,
                            ledgerMismatches));
            return checks;
        }

        /**
         * Adds the delivery checks ({@link #checks}) to a scenario's checks and the figures to its
         * series under {@code audit}; returns this for the scenario's own checks.
         */
        public Result addTo(String scope, List<Check> scenarioChecks, Map<String, Object> series) {
            scenarioChecks.addAll(checks(scope));
            series.put("audit", figures());
            return this;
        }

        /** The figures for the report's series. */
        public Map<String, Object> figures() {
            Map<String, Object> f = new TreeMap<>();
            f.put("objects", objects);
            f.put("parkedObjects", parkedObjects);
            f.put("recordsExpected", expected);
            f.put("recordsDelivered", delivered);
            f.put("recordsParked", parked);
            f.put("problems", problems.subList(0, Math.min(problems.size(), 20)));
            return f;
        }
    }

    /** Audits the delivered bucket and the park bucket. */
    public Result run(String bucket, String parkBucket) throws IOException {
        Tally tally = new Tally();
        tally.staleUploads += staleUploads(bucket) + staleUploads(parkBucket);
        readBucket(bucket, false, tally);
        readBucket(parkBucket, true, tally);
        long expected = 0;
        for (String customer : new HashSet<>(jobs.values())) {
            BitSet acked = sent.acked(customer);
            expected += acked.cardinality();
            BitSet missing = (BitSet) acked.clone();
            missing.andNot(tally.seen.getOrDefault(customer, new BitSet()));
            if (!missing.isEmpty()) {
                tally.lost += missing.cardinality();
                tally.problem(
                        "lost "
                                + missing.cardinality()
                                + " of "
                                + customer
                                + ", e.g. "
                                + missing.nextSetBit(0));
            }
        }
        checkLedgers(tally);
        return new Result(
                tally.objects,
                tally.parkedObjects,
                tally.delivered,
                tally.parked,
                expected,
                tally.lost,
                tally.duplicated,
                tally.crossTenant,
                tally.unexpected,
                tally.truncated,
                tally.staleUploads,
                tally.ledgerMismatches,
                tally.deliveredByJob,
                tally.parkedByJob,
                tally.problems);
    }

    /** Running counts of one audit. */
    private static final class Tally {
        final Map<String, BitSet> seen = new HashMap<>();
        final Map<Long, Long> deliveredByJob = new TreeMap<>();
        final Map<Long, Long> parkedByJob = new TreeMap<>();

        /** Per job: the highest sequence seen and its object's records-batched. */
        final Map<Long, long[]> lastBatched = new HashMap<>();

        final List<String> problems = new ArrayList<>();
        long objects;
        long parkedObjects;
        long delivered;
        long parked;
        long lost;
        long duplicated;
        long crossTenant;
        long unexpected;
        long truncated;
        long staleUploads;
        long ledgerMismatches;

        void problem(String text) {
            if (problems.size() < 100) {
                problems.add(text);
            }
        }
    }

    private long staleUploads(String bucket) {
        return s3.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads().stream().count();
    }

    private void readBucket(String bucket, boolean parked, Tally tally) throws IOException {
        Set<String> uploadIds = new HashSet<>();
        s3.listMultipartUploadsPaginator(r -> r.bucket(bucket))
                .uploads()
                .forEach(u -> uploadIds.add(u.uploadId()));
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            String key = object.key();
            if (key.contains(MULTIPART_MARKER) || uploadIds.contains(key)) {
                continue;
            }
            readObject(bucket, key, parked, tally);
        }
    }

    private void readObject(String bucket, String key, boolean parked, Tally tally)
            throws IOException {
        ResponseBytes<GetObjectResponse> body = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
        Map<String, String> meta = body.response().metadata();
        if (parked) {
            tally.parkedObjects++;
        } else {
            tally.objects++;
        }
        long jobId = jobIdOf(key);
        String customer = jobs.get(jobId);
        if (customer == null) {
            tally.unexpected++;
            tally.problem("object of no configured job: " + key);
            return;
        }
        String expectedPrefix = (parked ? "parked/" : "") + customer + "/";
        if (!key.startsWith(expectedPrefix)) {
            tally.crossTenant++;
            tally.problem("object outside its customer's prefix: " + key);
        }
        List<String> lines;
        try {
            lines = lines(body.asByteArray(), key);
        } catch (IOException | RuntimeException e) {
            tally.truncated++;
            tally.problem("unreadable " + key + ": " + e.getMessage());
            return;
        }
        long declared = Long.parseLong(meta.getOrDefault("sluice-records", "-1"));
        if (declared != lines.size()) {
            tally.truncated++;
            tally.problem(key + " has " + lines.size() + " lines, its metadata says " + declared);
        }
        for (String line : lines) {
            countLine(line, jobId, customer, key, parked, tally);
        }
        (parked ? tally.parkedByJob : tally.deliveredByJob)
                .merge(jobId, (long) lines.size(), Long::sum);
        long seq = Long.parseLong(meta.getOrDefault("sluice-seq", "-1"));
        long batched = Long.parseLong(meta.getOrDefault("sluice-records-batched", "-1"));
        long[] last = tally.lastBatched.computeIfAbsent(jobId, id -> new long[] {-1, -1});
        if (seq > last[0]) {
            last[0] = seq;
            last[1] = batched;
        }
    }

    private void countLine(
            String line, long jobId, String customer, String key, boolean parked, Tally tally)
            throws IOException {
        JsonNode record = JSON.readTree(line);
        String id = record.path("RecordId").asText();
        String lineCustomer = record.path("Customer").asText();
        int colon = id.lastIndexOf(':');
        String idCustomer = colon < 0 ? "" : id.substring(0, colon);
        if (parked) {
            tally.parked++;
        } else {
            tally.delivered++;
        }
        if (!customer.equals(lineCustomer) || !customer.equals(idCustomer)) {
            tally.crossTenant++;
            tally.problem(id + " of " + lineCustomer + " in job " + jobId + "'s object " + key);
            return;
        }
        long seq;
        try {
            seq = Long.parseLong(id.substring(colon + 1));
        } catch (NumberFormatException e) {
            seq = -1;
        }
        if (!sent.issued(customer, seq)) {
            tally.unexpected++;
            tally.problem("never sent: " + id + " in " + key);
            return;
        }
        BitSet seen = tally.seen.computeIfAbsent(customer, c -> new BitSet());
        if (seen.get((int) seq)) {
            tally.duplicated++;
            tally.problem("duplicate " + id + " in " + key);
        } else {
            seen.set((int) seq);
        }
    }

    /**
     * Each job's ledger in the metadata of its last object: records batched up to and including it
     * must be what the bucket (and park) holds of that job.
     */
    private void checkLedgers(Tally tally) {
        for (Map.Entry<Long, long[]> e : tally.lastBatched.entrySet()) {
            long job = e.getKey();
            long found =
                    tally.deliveredByJob.getOrDefault(job, 0L)
                            + tally.parkedByJob.getOrDefault(job, 0L);
            long batched = e.getValue()[1];
            if (batched != found) {
                tally.ledgerMismatches++;
                tally.problem(
                        "job "
                                + job
                                + ": last object's records-batched "
                                + batched
                                + ", found "
                                + found);
            }
        }
    }

    /** The job id in a key's {@code _<job>-<seq>.log.gz}. */
    static long jobIdOf(String key) {
        int end = key.lastIndexOf('-');
        int start = key.lastIndexOf('_', end);
        try {
            return Long.parseLong(key.substring(start + 1, end));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The lines of a gzip or zstd object; fails on a corrupt or cut one. */
    static List<String> lines(byte[] bytes, String key) throws IOException {
        try (InputStream in = decompress(new ByteArrayInputStream(bytes), key)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return List.of();
            }
            if (!text.endsWith("\n")) {
                throw new IOException("does not end with a complete line");
            }
            return List.of(text.split("\n"));
        }
    }

    private static InputStream decompress(InputStream in, String key) throws IOException {
        if (key.endsWith(".zst")) {
            return new ZstdInputStream(in);
        }
        return new GZIPInputStream(in);
    }
}
