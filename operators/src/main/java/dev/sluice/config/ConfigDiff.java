package dev.sluice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changes between two sets of jobs. The same function serves {@code bin/sluice config diff}
 * and the guard inside the job, so the dry run predicts exactly what the job decides.
 *
 * @param disabled jobs enabled now and present but not enabled next
 * @param enabled jobs present now but not enabled, and enabled next
 * @param modified jobs present in both whose settings other than {@code enabled} differ
 */
public record ConfigDiff(
        List<Long> added,
        List<Long> removed,
        List<Long> enabled,
        List<Long> disabled,
        List<Long> modified,
        int enabledBefore,
        int enabledAfter,
        int newlyEnabled,
        int noLongerEnabled) {

    public static ConfigDiff between(List<DeliveryJob> current, List<DeliveryJob> next) {
        Map<Long, DeliveryJob> now = byId(current);
        Map<Long, DeliveryJob> then = byId(next);
        List<Long> added = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        List<Long> enabled = new ArrayList<>();
        List<Long> disabled = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        then.keySet().stream().filter(id -> !now.containsKey(id)).sorted().forEach(added::add);
        now.keySet().stream().filter(id -> !then.containsKey(id)).sorted().forEach(removed::add);
        now.keySet().stream()
                .filter(then::containsKey)
                .sorted()
                .forEach(
                        id -> {
                            DeliveryJob a = now.get(id);
                            DeliveryJob b = then.get(id);
                            if (a.enabled() && !b.enabled()) {
                                disabled.add(id);
                            } else if (!a.enabled() && b.enabled()) {
                                enabled.add(id);
                            }
                            if (!ConfigParser.settingsJson(a)
                                    .equals(ConfigParser.settingsJson(b))) {
                                modified.add(id);
                            }
                        });
        return new ConfigDiff(
                added,
                removed,
                enabled,
                disabled,
                modified,
                countEnabled(now),
                countEnabled(then),
                enabledOnlyIn(then, now),
                enabledOnlyIn(now, then));
    }

    public boolean isEmpty() {
        return added.isEmpty()
                && removed.isEmpty()
                && enabled.isEmpty()
                && disabled.isEmpty()
                && modified.isEmpty();
    }

    private static Map<Long, DeliveryJob> byId(List<DeliveryJob> jobs) {
        return jobs.stream()
                .collect(Collectors.toMap(DeliveryJob::id, Function.identity(), (a, b) -> b));
    }

    /** Jobs enabled in {@code these} that are absent or not enabled in {@code others}. */
    private static int enabledOnlyIn(Map<Long, DeliveryJob> these, Map<Long, DeliveryJob> others) {
        return (int)
                these.values().stream()
                        .filter(j -> j.enabled() && !isEnabled(others.get(j.id())))
                        .count();
    }

    private static boolean isEnabled(DeliveryJob job) {
        return job != null && job.enabled();
    }

    private static int countEnabled(Map<Long, DeliveryJob> jobs) {
        return (int) jobs.values().stream().filter(DeliveryJob::enabled).count();
    }
}
