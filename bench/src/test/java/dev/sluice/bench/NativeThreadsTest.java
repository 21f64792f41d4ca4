package dev.sluice.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeThreadsTest {

    @Test
    void namesTheJvmsOwnThreadsAndNoJavaThread() {
        assertThat(NativeThreads.partOf("GC Thread#1\n")).isEqualTo("JVM: garbage collector");
        assertThat(NativeThreads.partOf("G1 Conc#0\n")).isEqualTo("JVM: garbage collector");
        assertThat(NativeThreads.partOf("C2 CompilerThre\n")).isEqualTo("JVM: JIT compilers");
        assertThat(NativeThreads.partOf("VM Thread\n")).isEqualTo("JVM: VM thread");
        assertThat(NativeThreads.partOf("rocksdb:low\n")).isEqualTo("RocksDB background threads");
        // Linux keeps a thread's first 15 bytes: a Java thread's name, read by ThreadCpu in full.
        assertThat(NativeThreads.partOf("Per-job buffer \n")).isEmpty();
        assertThat(NativeThreads.partOf("")).isEmpty();
    }

    @Test
    void readsUserAndSystemTicksAfterANameWithSpacesAndParentheses() {
        String stat =
                "4242 (C2 (Compiler) 1) S 1 4200 4200 0 -1 4194368 12 0 0 0 1234 56 0 0 20 0 40 0"
                        + " 9 0 0";
        assertThat(NativeThreads.ticks(stat)).isEqualTo(1234 + 56);
        assertThat(NativeThreads.ticks("garbage")).isEqualTo(-1);
        assertThat(NativeThreads.ticks("1 (x) S 1")).isEqualTo(-1);
        assertThat(NativeThreads.ticks("1 (x) S 1 2 3 4 5 6 7 8 9 10 eleven 12 13")).isEqualTo(-1);
    }

    @Test
    void findsTheCollectorsTimeOfThisJvm() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        NativeThreads threads = NativeThreads.ofThisProcess();
        long kept = 0;
        for (int i = 0; i < 30; i++) {
            byte[][] garbage = new byte[2_000][];
            for (int j = 0; j < garbage.length; j++) {
                garbage[j] = new byte[4_096];
            }
            kept += garbage[i].length;
            System.gc();
        }
        threads.sample();

        assertThat(kept).isPositive();
        assertThat(threads.secondsByPart().get("JVM: garbage collector")).isPositive();
    }
}
