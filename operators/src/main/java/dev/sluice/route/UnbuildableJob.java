package dev.sluice.route;

import dev.sluice.config.OutputOptions;
import dev.sluice.config.filter.RecordFilter;
import dev.sluice.encode.RecordEncoder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stand-ins for a job's filter or encoder that could not be built from an accepted config. The
 * review builds the same objects, so this is a last line, not a path: a job the router cannot build
 * fails each of its records with the reason (dead-lettered for that job, as any failure of its
 * filter or encoder), and the table, with every other job, is built and routes on.
 */
final class UnbuildableJob {

    private static final Logger LOG = LoggerFactory.getLogger(UnbuildableJob.class);

    private UnbuildableJob() {}

    /** A failure that names what could not be built and why. */
    static final class NotBuiltException extends IllegalStateException {
        NotBuiltException(String what, RuntimeException cause) {
            super(what + " could not be built: " + cause, cause);
        }
    }

    /** A filter that fails every record with why the job's filter could not be built. */
    static RecordFilter filter(long jobId, RuntimeException cause) {
        NotBuiltException failure = new NotBuiltException("the filter or sampler", cause);
        LOG.error("Job {}: {}; its records are dead-lettered", jobId, failure.getMessage(), cause);
        return event -> {
            throw failure;
        };
    }

    /** An encoder that fails every record with why the encoder of {@code options} was not built. */
    static RecordEncoder encoder(OutputOptions options, RuntimeException cause) {
        NotBuiltException failure = new NotBuiltException("the encoder", cause);
        LOG.error(
                "The encoder of {}: {}; its jobs' records are dead-lettered",
                options,
                failure.getMessage(),
                cause);
        return event -> {
            throw failure;
        };
    }
}
