package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;

/**
 * Whether a delivery job keeps an event: the job's Logpush {@code filter}, compiled once by {@link
 * FilterCompiler} and then tested per record without parsing or allocating.
 */
@FunctionalInterface
public interface RecordFilter {

    /** Keeps every event: the filter of a job whose {@code filter} is empty or absent. */
    RecordFilter ACCEPT_ALL = event -> true;

    /** True when the job keeps the event. */
    boolean test(LogEvent event);
}
