package dev.sluice.config;

import java.util.Map;

/**
 * Logpush job fields that Sluice deliberately does not implement, in one list so that none is ever
 * dropped in silence: each is either accepted with a warning (it changes nothing Sluice writes) or
 * refused with what to use instead (ignoring it would change the output). docs/OPERATIONS.md prints
 * this list.
 */
final class LogpushFields {

    /** Job fields accepted and ignored, with a warning: they describe the job, not its output. */
    static final Map<String, String> IGNORED_JOB_FIELDS =
            Map.of(
                    "name", "a label; Sluice names jobs by id",
                    "kind", "Sluice delivers one kind of job",
                    "frequency", "deprecated by Logpush; batches close by max_upload_*",
                    "ownership_challenge", "Sluice does not verify destination ownership",
                    "last_complete", "status, reported by Sluice, not configured",
                    "last_error", "status, reported by Sluice, not configured",
                    "error_message", "status, reported by Sluice, not configured");

    /** Job fields refused: ignoring them would write something other than what was asked. */
    static final Map<String, String> UNSUPPORTED_JOB_FIELDS =
            Map.of("logpull_options", "use output_options (Logpush's replacement for it)");

    /** Output option fields refused, for the same reason. */
    static final Map<String, String> UNSUPPORTED_OUTPUT_OPTIONS =
            Map.of("record_template", "use field_names with record_prefix and record_suffix");

    private LogpushFields() {}
}
