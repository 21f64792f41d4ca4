package dev.sluice.bench;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadCpuTest {

    @Test
    void namesAFlinkTaskByTheHeadOfItsChainAndTheServersByTheirThreads() {
        assertThat(
                        ThreadCpu.partOf(
                                "Per-job buffer -> (Object sink: Writer -> Object sink: Committer,"
                                        + " Object sink: Batches opened) (2/2)#0"))
                .isEqualTo("task: Per-job buffer");
        assertThat(
                        ThreadCpu.partOf(
                                "Decode and route (fail-closed) -> Dead letters: Writer (1/2)#3"))
                .isEqualTo("task: Decode and route (fail-closed)");
        assertThat(ThreadCpu.partOf("Source Data Fetcher for Source: Forwarded logs (1/2)#0"))
                .isEqualTo("task: Source: Forwarded logs");
        assertThat(ThreadCpu.partOf("S3Proxy-Jetty-42")).isEqualTo("S3 server");
        assertThat(ThreadCpu.partOf("sluice-commit-7")).isEqualTo("Sluice committer's requests");
        assertThat(ThreadCpu.partOf("data-plane-kafka-request-handler-0"))
                .isEqualTo("Kafka broker");
        assertThat(ThreadCpu.partOf("kafka-producer-network-thread | dlq"))
                .isEqualTo("Kafka clients");
        assertThat(ThreadCpu.partOf("AsyncOperations-thread-3"))
                .isEqualTo("Flink checkpoints' async part");
        assertThat(ThreadCpu.partOf("flink-pekko.actor.default-dispatcher-5"))
                .isEqualTo("Flink runtime (RPC, scheduling, metrics)");
        assertThat(ThreadCpu.partOf("main")).isEqualTo(ThreadCpu.OTHER);
        // A name that only looks like a task's, without the attempt, is not one.
        assertThat(ThreadCpu.partOf("Per-job buffer (1/2)")).isEqualTo(ThreadCpu.OTHER);
    }

    @Test
    void countsWhatAThreadSpentUnderItsPartAndTheRestOfTheProcessApart() throws Exception {
        long processAtStart = ResourceMeter.cpuNanos();
        ThreadCpu cpu = new ThreadCpu();
        Thread busy = new Thread(ThreadCpuTest::spinForAQuarterSecond, "Busy task (1/1)#0");
        busy.start();
        while (busy.isAlive()) {
            cpu.sample();
            Thread.sleep(10);
        }
        double process = (ResourceMeter.cpuNanos() - processAtStart) / 1e9;

        Map<String, Double> parts = cpu.secondsByPart(process);

        assertThat(parts.get("task: Busy task")).isBetween(0.15, 0.5);
        assertThat(parts.values().stream().mapToDouble(Double::doubleValue).sum())
                .isLessThanOrEqualTo(process + 0.02);
        // The rest of the process is often under the 5 ms a part needs to be shown at all.
        assertThat(parts.values()).allMatch(seconds -> seconds >= 0.005);
        assertThat(List.copyOf(parts.values()))
                .as("most first")
                .isSortedAccordingTo(Comparator.reverseOrder());
    }

    private static void spinForAQuarterSecond() {
        long until = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + 250_000_000L;
        long x = 0;
        while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < until) {
            x += System.nanoTime() % 7;
        }
        if (x == 42) {
            System.out.print("");
        }
    }
}
