package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * CPU time of the JVM's own threads, which {@code ThreadMXBean} does not list: the garbage
 * collector's, the JIT compilers', the VM thread, and RocksDB's native background threads. Linux
 * names each in {@code /proc/self/task/<tid>/comm} and counts its CPU in clock ticks in {@code
 * stat}; elsewhere nothing is read and their time stays in the process's rest.
 */
final class NativeThreads {

    /** Linux's {@code USER_HZ}: the tick {@code stat} counts in, 100 on every mainstream build. */
    private static final double TICKS_PER_SECOND = 100;

    private final Path tasks;
    private final Map<String, String> partByTid = new HashMap<>();
    private final PartClocks<String> clocks = new PartClocks<>(TICKS_PER_SECOND);

    private NativeThreads(Path tasks) {
        this.tasks = tasks;
        read(clocks::start);
    }

    static NativeThreads ofThisProcess() {
        Path tasks = Path.of("/proc/self/task");
        return new NativeThreads(Files.isDirectory(tasks) ? tasks : null);
    }

    /** Reads the ticks of every JVM thread; a thread is named once, when first seen. */
    void sample() {
        read((tid, ticks) -> clocks.read(tid, () -> partByTid.get(tid), ticks));
    }

    private void read(BiConsumer<String, Long> ticksOfTid) {
        if (tasks == null) {
            return;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                String tid = task.getFileName().toString();
                String part = partByTid.computeIfAbsent(tid, t -> partOf(read(task, "comm")));
                if (!part.isEmpty()) {
                    long ticks = ticks(read(task, "stat"));
                    if (ticks >= 0) {
                        ticksOfTid.accept(tid, ticks);
                    }
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // A read that failed leaves the last figures: the sampler's thread must go on.
        }
    }

    /** CPU seconds of the JVM's threads since construction, by part. */
    Map<String, Double> secondsByPart() {
        return clocks.secondsByPart();
    }

    /** The part a JVM thread works for, by the name Linux knows it by; empty for other threads. */
    static String partOf(String comm) {
        String name = comm.strip();
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "JVM: garbage collector";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JVM: JIT compilers";
        }
        if (name.startsWith("VM Thread") || name.startsWith("VM Periodic")) {
            return "JVM: VM thread";
        }
        if (name.startsWith("rocksdb:")) {
            return "RocksDB background threads";
        }
        return "";
    }

    /** User plus system ticks from a {@code stat} line; -1 if it cannot be read. */
    static long ticks(String stat) {
        // The name, in parentheses, may hold spaces: fields are counted after its closing one.
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return -1;
        }
        String[] fields = stat.substring(end + 2).split(" ");
        if (fields.length < 13) {
            return -1;
        }
        try {
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(Path task, String file) {
        try {
            return Files.readString(task.resolve(file));
        } catch (IOException | RuntimeException e) {
            // The thread ended meanwhile.
            return "";
        }
    }
}
