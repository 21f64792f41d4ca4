package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * One delivery job, modelled on the Logpush job API: whose logs (customer, dataset), where they go
 * (destination), how they are written (output options) and how they are batched.
 *
 * <p>Batch limits of 0 or absent mean "the default", never "unbounded": a buffer always has a bound.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class DeliveryJob {

    public static final long DEFAULT_MAX_UPLOAD_BYTES = 5_000_000L;
    public static final long DEFAULT_MAX_UPLOAD_RECORDS = 100_000L;
    public static final long DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS = 30L;

    private final long id;
    private final String customerId;
    private final String dataset;
    private final boolean enabled;
    private final String destinationConf;
    private final OutputOptions outputOptions;
    private final long maxUploadBytes;
    private final long maxUploadRecords;
    private final long maxUploadIntervalSeconds;

    @JsonCreator
    public DeliveryJob(
            @JsonProperty("id") long id,
            @JsonProperty("customer_id") String customerId,
            @JsonProperty("dataset") String dataset,
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("destination_conf") String destinationConf,
            @JsonProperty("output_options") OutputOptions outputOptions,
            @JsonProperty("max_upload_bytes") Long maxUploadBytes,
            @JsonProperty("max_upload_records") Long maxUploadRecords,
            @JsonProperty("max_upload_interval_seconds") Long maxUploadIntervalSeconds) {
        this.id = id;
        this.customerId = customerId;
        this.dataset = dataset;
        // Logpush creates jobs enabled unless told otherwise.
        this.enabled = enabled == null || enabled;
        this.destinationConf = destinationConf;
        this.outputOptions = outputOptions == null ? OutputOptions.defaults() : outputOptions;
        this.maxUploadBytes = orZero(maxUploadBytes);
        this.maxUploadRecords = orZero(maxUploadRecords);
        this.maxUploadIntervalSeconds = orZero(maxUploadIntervalSeconds);
    }

    private static long orZero(Long value) {
        return value == null ? 0L : value;
    }

    @JsonProperty("id")
    public long id() {
        return id;
    }

    @JsonProperty("customer_id")
    public String customerId() {
        return customerId;
    }

    @JsonProperty("dataset")
    public String dataset() {
        return dataset;
    }

    @JsonProperty("enabled")
    public boolean enabled() {
        return enabled;
    }

    @JsonProperty("destination_conf")
    public String destinationConf() {
        return destinationConf;
    }

    @JsonProperty("output_options")
    public OutputOptions outputOptions() {
        return outputOptions;
    }

    @JsonProperty("max_upload_bytes")
    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    @JsonProperty("max_upload_records")
    public long maxUploadRecords() {
        return maxUploadRecords;
    }

    @JsonProperty("max_upload_interval_seconds")
    public long maxUploadIntervalSeconds() {
        return maxUploadIntervalSeconds;
    }

    /** The batch limits in force, with defaults applied. */
    public BatchLimits limits() {
        return new BatchLimits(
                maxUploadBytes == 0 ? DEFAULT_MAX_UPLOAD_BYTES : maxUploadBytes,
                maxUploadRecords == 0 ? DEFAULT_MAX_UPLOAD_RECORDS : maxUploadRecords,
                1000L
                        * (maxUploadIntervalSeconds == 0
                                ? DEFAULT_MAX_UPLOAD_INTERVAL_SECONDS
                                : maxUploadIntervalSeconds));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeliveryJob)) {
            return false;
        }
        DeliveryJob that = (DeliveryJob) o;
        return id == that.id
                && enabled == that.enabled
                && maxUploadBytes == that.maxUploadBytes
                && maxUploadRecords == that.maxUploadRecords
                && maxUploadIntervalSeconds == that.maxUploadIntervalSeconds
                && Objects.equals(customerId, that.customerId)
                && Objects.equals(dataset, that.dataset)
                && Objects.equals(destinationConf, that.destinationConf)
                && Objects.equals(outputOptions, that.outputOptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, customerId, dataset, destinationConf);
    }

    @Override
    public String toString() {
        return "job " + id + " (customer " + customerId + ", dataset " + dataset + ")";
    }
}
