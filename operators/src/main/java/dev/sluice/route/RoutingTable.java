package dev.sluice.route;

import dev.sluice.config.ActiveConfig;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.OutputOptions;
import dev.sluice.config.filter.RecordFilter;
import dev.sluice.encode.RecordEncoder;
import dev.sluice.encode.Sampler;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * Which enabled jobs take a (customer, dataset), with what decides and writes each job's records.
 * Only enabled jobs are in it: a record that finds nothing here is dropped, never buffered (fail
 * closed).
 *
 * <p>A table is immutable and built once per config in force in a JVM ({@link #of}): every route
 * subtask of a TaskManager that works with the same {@link ActiveConfig} reads the same table, as
 * at a million jobs each copy is hundreds of megabytes. What is not thread-safe, the encoders with
 * their JSON generators, each subtask builds for itself from {@link #encoderOptions}.
 */
final class RoutingTable {

    /**
     * A job a record goes to, with its filter and sampler (both immutable), the index of its
     * encoder in {@link #encoderOptions}, and its own index among the table's routes ({@link
     * #routeCount}), by which a subtask keeps what it counts per route in an array.
     */
    record Route(
            long jobId,
            String counterKey,
            RecordFilter filter,
            Sampler sampler,
            int encoder,
            int index) {}

    /**
     * The tables of the configs in force in this JVM. The routers using a table hold it; this map
     * holds it weakly too: a {@link WeakHashMap} drops an entry whose config is gone only when it
     * is next used, and a table held as its value, hundreds of megabytes at a million jobs, would
     * stay until then: a finished job's until another job's router built one, a replaced config's
     * until the next update.
     */
    private static final Map<ActiveConfig, WeakReference<RoutingTable>> BUILT = new WeakHashMap<>();

    private final long version;
    private final Map<String, Map<String, List<Route>>> byCustomer;
    private final List<OutputOptions> encoderOptions;
    private int routeCount;

    RoutingTable(ActiveConfig config) {
        this(config, DeliveryJob::compileFilter);
    }

    /** A table whose jobs' filters are {@code filters}' (tests put in filters that fail). */
    RoutingTable(ActiveConfig config, Function<DeliveryJob, RecordFilter> filters) {
        this.version = config.version();
        // Jobs with equal output options share one encoder: an encoder holds a JSON generator and
        // its buffers (about 12 KB), too much to keep per job when a subtask routes for 100,000
        // jobs. Sharing is safe: a task uses its encoders from one thread, and an encoder's output
        // depends on its options only.
        Map<OutputOptions, Integer> encoders = new HashMap<>();
        List<DeliveryJob> jobs = config.snapshot().jobs();
        this.byCustomer = new HashMap<>(jobs.size() * 4 / 3 + 1);
        Set<String> several = new HashSet<>();
        for (DeliveryJob job : jobs) {
            if (job.enabled()) {
                add(
                        job.customerId(),
                        job.dataset(),
                        route(job, filters, encoders, routeCount++),
                        several);
            }
        }
        for (String customer : several) {
            Map<String, List<Route>> routes = new HashMap<>();
            byCustomer.get(customer).forEach((d, list) -> routes.put(d, List.copyOf(list)));
            byCustomer.put(customer, Map.copyOf(routes));
        }
        OutputOptions[] options = new OutputOptions[encoders.size()];
        encoders.forEach((o, i) -> options[i] = o);
        this.encoderOptions = List.of(options);
    }

    /**
     * Most customers have one job: theirs is an immutable map of one list of one route, a few dozen
     * bytes where a HashMap and an ArrayList are a few hundred. A customer's second job turns its
     * entry mutable ({@code several}) until the end of the build, so no copy of the whole table is
     * ever made and no customer's list is copied per job.
     */
    private void add(String customer, String dataset, Route route, Set<String> several) {
        Map<String, List<Route>> datasets = byCustomer.get(customer);
        if (datasets == null) {
            byCustomer.put(customer, Map.of(dataset, List.of(route)));
            return;
        }
        if (several.add(customer)) {
            Map<String, List<Route>> mutable = new HashMap<>();
            datasets.forEach((d, list) -> mutable.put(d, new ArrayList<>(list)));
            byCustomer.put(customer, mutable);
            datasets = mutable;
        }
        datasets.computeIfAbsent(dataset, d -> new ArrayList<>()).add(route);
    }

    /** This JVM's table of {@code config}, built by the first subtask that asks. */
    static RoutingTable of(ActiveConfig config) {
        synchronized (BUILT) {
            WeakReference<RoutingTable> built = BUILT.get(config);
            RoutingTable table = built == null ? null : built.get();
            if (table == null) {
                table = new RoutingTable(config);
                BUILT.put(config, new WeakReference<>(table));
            }
            return table;
        }
    }

    private static Route route(
            DeliveryJob job,
            Function<DeliveryJob, RecordFilter> filters,
            Map<OutputOptions, Integer> encoders,
            int index) {
        RecordFilter filter;
        Sampler sampler;
        try {
            filter = filters.apply(job);
            sampler = Sampler.forJob(job);
        } catch (RuntimeException e) {
            // One job that cannot be built must not keep the table, every job's, from building.
            filter = UnbuildableJob.filter(job.id(), e);
            sampler = Sampler.keepAll();
        }
        return new Route(
                job.id(),
                Long.toString(job.id()),
                filter,
                sampler,
                encoders.computeIfAbsent(job.outputOptions(), o -> encoders.size()),
                index);
    }

    long version() {
        return version;
    }

    /** How many routes the table holds: one per enabled job, indexed from 0. */
    int routeCount() {
        return routeCount;
    }

    /** The output options of each encoder a route refers to, by its index. */
    List<OutputOptions> encoderOptions() {
        return encoderOptions;
    }

    /** New encoders for {@link #encoderOptions}, for one subtask's use. */
    RecordEncoder[] newEncoders() {
        RecordEncoder[] encoders = new RecordEncoder[encoderOptions.size()];
        for (int i = 0; i < encoders.length; i++) {
            try {
                encoders[i] = RecordEncoder.forOptions(encoderOptions.get(i));
            } catch (RuntimeException e) {
                encoders[i] = UnbuildableJob.encoder(encoderOptions.get(i), e);
            }
        }
        return encoders;
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
