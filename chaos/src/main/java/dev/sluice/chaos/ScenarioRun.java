package dev.sluice.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every scenario's run shares: its rig, the ledger of records sent, a producer into the logs
 * topic and a series recorder once the job is submitted, and the checks and series of its verdict.
 * A scenario starts it, submits its jobs, makes its trouble, drains, audits and returns {@link
 * #verdict}; closing it stops the producer, the recorder and the rig.
 */
final class ScenarioRun implements AutoCloseable {

    private final ChaosRig rig;
    private final PrintStream log;
    private final SentLedger sent = new SentLedger();
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, Object> series = new LinkedHashMap<>();
    private ChaosProducer producer;
    private SeriesRecorder recorder;

    private ScenarioRun(ChaosRig rig, PrintStream log) {
        this.rig = rig;
        this.log = log;
    }

    /** Starts a rig under {@code dataDir}. */
    static ScenarioRun start(Path dataDir, RigSettings settings, PrintStream log) throws Exception {
        return new ScenarioRun(ChaosRig.start(dataDir, settings, log), log);
    }

    /** Jobs writing to the rig's S3 server directly. */
    ChaosJobs jobs() {
        return new ChaosJobs(rig.s3(), rig.s3().endpoint());
    }

    /**
     * A run's customers, {@code c0001 …}, each with one job writing to the rig's bucket (ids 1 to
     * n, in the customers' order) in {@code jobs}; {@code jobIds} maps job id → customer, what the
     * audit checks delivery against.
     */
    record Tenants(List<String> customers, ChaosJobs jobs, Map<Long, String> jobIds) {}

    /** {@code count} customers and their jobs, writing to the rig's S3 server directly. */
    Tenants tenants(int count) {
        return tenants(count, jobs());
    }

    /** {@code count} customers and their jobs, added to {@code jobs}. */
    static Tenants tenants(int count, ChaosJobs jobs) {
        List<String> customers = ChaosJobs.customers("c", count);
        return new Tenants(
                customers, jobs, jobs.addOnePerCustomer(customers, ChaosRig.BUCKET, 1_000));
    }

    /** Submits {@code tenants}' jobs as {@link #submit(ChaosJobs)} does; returns them. */
    Tenants submit(Tenants tenants) throws Exception {
        submit(tenants.jobs());
        return tenants;
    }

    /**
     * Submits Sluice with {@code jobs}' snapshot at version 1, then starts the producer and the
     * recorder.
     */
    void submit(ChaosJobs jobs) throws Exception {
        rig.submit(jobs.snapshot(1));
        producer = rig.producer(sent);
        recorder = new SeriesRecorder(rig);
    }

    ChaosRig rig() {
        return rig;
    }

    PrintStream log() {
        return log;
    }

    SentLedger sent() {
        return sent;
    }

    ChaosProducer producer() {
        return producer;
    }

    SeriesRecorder recorder() {
        return recorder;
    }

    /** Adds a check to the verdict. */
    void check(Check check) {
        checks.add(check);
    }

    /** Adds checks to the verdict. */
    void check(List<Check> more) {
        checks.addAll(more);
    }

    /** Adds a value to the verdict's series. */
    void put(String name, Object value) {
        series.put(name, value);
    }

    /** Waits for every send to be acknowledged or failed, and marks the end of the traffic. */
    void trafficEnds() {
        producer.flush();
        recorder.mark("traffic ends");
    }

    /** Adds the check that the job never restarted. */
    void checkNoRestarts() throws Exception {
        checks.add(JobChecks.noRestarts(rig));
    }

    /** Stops the job with a drain and adds the recorded series. */
    void drain() throws Exception {
        rig.drain();
        series.putAll(recorder.toReport());
    }

    /**
     * Stops the producer and the recorder, then reads every delivered and parked record back
     * against what was sent to {@code jobIds} (id → customer) and adds the audit's checks.
     */
    DeliveryAudit.Result audit(String label, Map<Long, String> jobIds) throws Exception {
        closeTraffic();
        return rig.audit(sent, jobIds).addTo(label, checks, series);
    }

    /** The verdict of scenario {@code name}. */
    Verdict verdict(String name) {
        return new Verdict(name, checks, series);
    }

    private void closeTraffic() throws InterruptedException {
        if (recorder != null) {
            recorder.close();
            recorder = null;
        }
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            closeTraffic();
        } finally {
            rig.close();
        }
    }
}
