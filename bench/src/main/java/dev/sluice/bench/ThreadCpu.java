package dev.sluice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time of this JVM's threads over a run, summed by the part of the setup each thread works for:
 * a Flink task by the head of its operator chain ({@code Per-job buffer}, {@code Decode and route
 * (fail-closed)}, ...), the S3 server, the committer's requests, the Kafka broker and clients; the
 * JVM's own threads, which Java does not list (collector, compilers, RocksDB's), by {@link
 * NativeThreads}. What the process used beyond all of them is its CPU time less theirs.
 *
 * <p>The figures a profiler's samples only estimate, from the threads' own clocks, so that every
 * bench says where a run's CPU went. A thread is read every time {@link #sample} runs; one that
 * ends between two samples loses what it used since the last (a sampling period at most).
 */
final class ThreadCpu {

    /** What the process used beyond every thread read: the JVM's own work, unlisted threads. */
    static final String REST_OF_PROCESS = "rest of the process";

    static final String OTHER = "other threads";

    /** A Flink task thread: its chain's name, then the subtask and the attempt. */
    private static final Pattern TASK = Pattern.compile("^(.+) \\(\\d+/\\d+\\)#\\d+$");

    private static final String FETCHER = "Source Data Fetcher for ";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final PartClocks<Long> clocks = new PartClocks<>(1e9);
    private final NativeThreads jvmThreads = NativeThreads.ofThisProcess();

    ThreadCpu() {
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos >= 0) {
                clocks.start(id, nanos);
            }
        }
    }

    /** Reads every live thread's CPU time. */
    synchronized void sample() {
        jvmThreads.sample();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos < 0) {
                continue;
            }
            clocks.read(id, () -> partOfThread(id), nanos);
        }
    }

    /**
     * CPU seconds by part since construction, most first, with the process's CPU time not spent in
     * a thread read as {@link #REST_OF_PROCESS}.
     */
    synchronized Map<String, Double> secondsByPart(double processCpuSeconds) {
        sample();
        Map<String, Double> byPart = new HashMap<>(clocks.secondsByPart());
        jvmThreads
                .secondsByPart()
                .forEach((part, seconds) -> byPart.merge(part, seconds, Double::sum));
        double read = byPart.values().stream().mapToDouble(Double::doubleValue).sum();
        byPart.put(REST_OF_PROCESS, Math.max(0, processCpuSeconds - read));
        Map<String, Double> sorted = new LinkedHashMap<>();
        byPart.entrySet().stream()
                .filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        return sorted;
    }

    private String partOfThread(long id) {
        ThreadInfo info = threads.getThreadInfo(id);
        return info == null ? OTHER : partOf(info.getThreadName());
    }

    /** The part of the setup a thread works for, by its name. */
    static String partOf(String thread) {
        String name = thread.startsWith(FETCHER) ? thread.substring(FETCHER.length()) : thread;
        Matcher task = TASK.matcher(name);
        if (task.matches()) {
            String chain = task.group(1);
            int next = chain.indexOf(" -> ");
            return "task: " + (next < 0 ? chain : chain.substring(0, next));
        }
        if (thread.startsWith("S3Proxy")) {
            return "S3 server";
        }
        if (thread.startsWith("sluice-commit")) {
            return "Sluice committer's requests";
        }
        if (thread.startsWith("kafka-producer") || thread.startsWith("kafka-coordinator")) {
            return "Kafka clients";
        }
        if (thread.contains("kafka")
                || thread.startsWith("ExpirationReaper")
                || thread.startsWith("raft")
                || thread.startsWith("quorum")
                || thread.startsWith("controller")
                || thread.startsWith("broker")) {
            return "Kafka broker";
        }
        if (thread.startsWith("AsyncOperations")) {
            return "Flink checkpoints' async part";
        }
        if (thread.startsWith("flink-")
                || thread.startsWith("jobmanager")
                || thread.startsWith("mini-cluster")
                || thread.startsWith("Flink-")) {
            return "Flink runtime (RPC, scheduling, metrics)";
        }
        return OTHER;
    }
}
