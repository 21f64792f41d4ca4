package dev.sluice.route;

import dev.sluice.config.ActiveConfig;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.OutputOptions;
import dev.sluice.config.filter.RecordFilter;
import dev.sluice.encode.RecordEncoder;
import dev.sluice.encode.Sampler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which enabled jobs take a (customer, dataset), with each job's encoder built once. Only enabled
 * jobs are in it: a record that finds nothing here is dropped, never buffered (fail closed).
 */
final class RoutingTable {

    /**
     * A job a record goes to, with what decides and writes it: its filter, its sampler, its
     * encoder, all built once per config version.
     */
    record Route(
            long jobId,
            String counterKey,
            RecordFilter filter,
            Sampler sampler,
            RecordEncoder encoder) {}

    private final long version;
    private final Map<String, Map<String, List<Route>>> byCustomer = new HashMap<>();

    RoutingTable(ActiveConfig config) {
        this.version = config.version();
        // Jobs with equal output options share one encoder: an encoder holds a JSON generator and
        // its buffers (about 12 KB), too much to keep per job when a subtask routes for 100,000
        // jobs. Sharing is safe: a task uses its table from one thread, and an encoder's output
        // depends on its options only.
        Map<OutputOptions, RecordEncoder> encoders = new HashMap<>();
        for (DeliveryJob job : config.snapshot().jobs()) {
            if (job.enabled()) {
                byCustomer
                        .computeIfAbsent(job.customerId(), c -> new HashMap<>())
                        .computeIfAbsent(job.dataset(), d -> new ArrayList<>())
                        .add(route(job, encoders));
            }
        }
    }

    private static Route route(DeliveryJob job, Map<OutputOptions, RecordEncoder> encoders) {
        return new Route(
                job.id(),
                Long.toString(job.id()),
                job.compileFilter(),
                Sampler.forJob(job),
                encoders.computeIfAbsent(job.outputOptions(), RecordEncoder::forOptions));
    }

    long version() {
        return version;
    }

    /** The routes of a (customer, dataset); empty when none is configured and enabled. */
    List<Route> routes(String customerId, String dataset) {
        Map<String, List<Route>> datasets = byCustomer.get(customerId);
        if (datasets == null) {
            return List.of();
        }
        return datasets.getOrDefault(dataset, List.of());
    }
}
