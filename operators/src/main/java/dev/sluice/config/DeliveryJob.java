package dev.sluice.config;

import dev.sluice.config.filter.FilterCompiler;
import dev.sluice.config.filter.InvalidFilterException;
import dev.sluice.config.filter.RecordFilter;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One delivery job, modelled on the Logpush job API: whose logs (customer, dataset), where they go
 * (destination), how they are written (output options) and how they are batched.
 *
 * <p>Batch limits of 0 or absent mean "the default", never "unbounded": a buffer always has a
 * bound. The {@code filter} is Logpush's filter JSON string, "" when absent (keep every event); see
 * {@link FilterCompiler} for its language. A job is written with the snake_case keys {@link
 * #fromJson} reads.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeliveryJob(
        long id,
        String customerId,
        String dataset,
        boolean enabled,
        String destinationConf,
        OutputOptions outputOptions,
        String filter,
        long maxUploadBytes,
        long maxUploadRecords,
        long maxUploadIntervalSeconds) {

    public static final long DEFAULT_MAX_UPLOAD_BYTES = 5_000_000L;
    public static final long DEFAULT_MAX_UPLOAD_RECORDS = 100_000L;
    public static final long DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS = 30L;

    /** Reads a job as the Logpush API writes it, absent fields taking Logpush's defaults. */
    @JsonCreator
    public static DeliveryJob fromJson(
            @JsonProperty("id") long id,
            @JsonProperty("customer_id") String customerId,
            @JsonProperty("dataset") String dataset,
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("destination_conf") String destinationConf,
            @JsonProperty("output_options") OutputOptions outputOptions,
            @JsonProperty("filter") String filter,
            @JsonProperty("max_upload_bytes") Long maxUploadBytes,
            @JsonProperty("max_upload_records") Long maxUploadRecords,
            @JsonProperty("max_upload_interval_seconds") Long maxUploadIntervalSeconds) {
        return new DeliveryJob(
                id,
                customerId,
                // A handful of datasets across a fleet's jobs: one String each.
                dataset == null ? null : dataset.intern(),
                // Logpush creates jobs enabled unless told otherwise.
                enabled == null || enabled,
                // Inline keys stay in this JVM; the job, and all that is made of it, names them.
                InlineSecrets.takeInline(destinationConf),
                outputOptions == null ? OutputOptions.defaults() : outputOptions,
                filter == null ? "" : filter,
                orZero(maxUploadBytes),
                orZero(maxUploadRecords),
                orZero(maxUploadIntervalSeconds));
    }

    private static long orZero(Long value) {
        return value == null ? 0L : value;
    }

    /** The batch limits in force, with defaults applied. */
    public BatchLimits limits() {
        return new BatchLimits(
                orDefault(maxUploadBytes, DEFAULT_MAX_UPLOAD_BYTES),
                orDefault(maxUploadRecords, DEFAULT_MAX_UPLOAD_RECORDS),
                1000L * orDefault(maxUploadIntervalSeconds, DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS));
    }

    /**
     * The job's filter, compiled. Compiling parses: call it once per job and config version (as the
     * routing table is built), never per record. Only for a job that passed validation.
     */
    public RecordFilter compileFilter() {
        try {
            return FilterCompiler.compile(filter);
        } catch (InvalidFilterException e) {
            // Validation compiles every filter before a config takes effect, so this is a bug.
            throw new IllegalStateException(this + " has an invalid filter: " + e.getMessage(), e);
        }
    }

    private static long orDefault(long value, long defaultValue) {
        return value == 0 ? defaultValue : value;
    }

    @Override
    public String toString() {
        return "job " + id + " (customer " + customerId + ", dataset " + dataset + ")";
    }
}
