package dev.sluice.encode;

/** Logpush's CVE-2021-44228 option: <code>${</code> becomes <code>x{</code>, no Log4j lookup. */
final class LookupRedaction {

    private static final String LOOKUP_START = "${";
    private static final String REPLACEMENT = "x{";

    private LookupRedaction() {}

    /** The text with every lookup start replaced; the same instance when there is none. */
    static String apply(String text) {
        // Replacing "${" by "x{" cannot create a new "${", so one pass is enough.
        return text.indexOf(LOOKUP_START) < 0 ? text : text.replace(LOOKUP_START, REPLACEMENT);
    }
}
