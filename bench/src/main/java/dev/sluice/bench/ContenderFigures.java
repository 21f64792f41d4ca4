package dev.sluice.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A contender's runs and their medians.
 *
 * @param name {@code limit}, {@code sluice}, {@code naive} (FileSink to the S3 server) or {@code
 *     naive-files} (FileSink to local files)
 * @param description what ran
 * @param recordsPerSecond median over the runs
 * @param megabytesPerSecond median records/s times the input's NDJSON bytes per record (as Sluice's
 *     encoder writes them), in 10^6 bytes: the same unit for every contender
 * @param cpuCores median CPU seconds per wall second of the metered time (of the whole process)
 * @param peakHeapMiB median of the runs' peak heap (pools' peaks summed)
 * @param heapAfterGcMiB median of the runs' largest heap right after a collection
 */
public record ContenderFigures(
        String name,
        String description,
        double recordsPerSecond,
        double megabytesPerSecond,
        double seconds,
        double cpuCores,
        @JsonProperty("peak_heap_mib") double peakHeapMiB,
        @JsonProperty("heap_after_gc_mib") double heapAfterGcMiB,
        List<RunFigures> runs) {

    static ContenderFigures of(
            String name, String description, double ndjsonBytesPerRecord, List<RunFigures> runs) {
        double rate = median(runs, RunFigures::recordsPerSecond);
        return new ContenderFigures(
                name,
                description,
                rate,
                rate * ndjsonBytesPerRecord / 1e6,
                median(runs, RunFigures::seconds),
                median(runs, RunFigures::cpuCores),
                median(runs, r -> r.peakHeapBytes() / (1024.0 * 1024.0)),
                median(runs, r -> r.peakHeapAfterGcBytes() / (1024.0 * 1024.0)),
                List.copyOf(runs));
    }

    /** The run whose records/s is the median (the slower middle one of an even count). */
    Optional<RunFigures> medianRun() {
        List<RunFigures> byRate =
                runs.stream()
                        .sorted(Comparator.comparingDouble(RunFigures::recordsPerSecond))
                        .toList();
        return byRate.isEmpty()
                ? Optional.empty()
                : Optional.of(byRate.get((byRate.size() - 1) / 2));
    }

    static double median(List<RunFigures> runs, ToDoubleFunction<RunFigures> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return 0;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
