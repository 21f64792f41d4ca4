package dev.sluice.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Collects, while a config is read, every field Sluice does not know: as a problem naming its place
 * and the closest known field (a typo such as {@code max_upload_record} must not fall back to a
 * default in silence), or, for the Logpush fields Sluice knowingly ignores, as a warning. One
 * instance per read.
 */
final class UnknownFields extends DeserializationProblemHandler {

    private final String root;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param root how the read value is named in messages, e.g. {@code upsert}; "" for none
     */
    UnknownFields(String root) {
        this.root = root;
    }

    @Override
    public boolean handleUnknownProperty(
            DeserializationContext ctxt,
            JsonParser p,
            JsonDeserializer<?> deserializer,
            Object beanOrClass,
            String name)
            throws IOException {
        String where = place(p.getParsingContext(), name);
        Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
        if (type == DeliveryJob.class && LogpushFields.IGNORED_JOB_FIELDS.containsKey(name)) {
            warnings.add(where + name + " ignored: " + LogpushFields.IGNORED_JOB_FIELDS.get(name));
        } else if (type == DeliveryJob.class
                && LogpushFields.UNSUPPORTED_JOB_FIELDS.containsKey(name)) {
            problems.add(unsupported(where, name, LogpushFields.UNSUPPORTED_JOB_FIELDS));
        } else if (type == OutputOptions.class
                && LogpushFields.UNSUPPORTED_OUTPUT_OPTIONS.containsKey(name)) {
            problems.add(unsupported(where, name, LogpushFields.UNSUPPORTED_OUTPUT_OPTIONS));
        } else {
            TreeSet<String> known = new TreeSet<>();
            deserializer.getKnownPropertyNames().forEach(k -> known.add(String.valueOf(k)));
            problems.add(
                    where + "unknown field '" + name + "'" + Suggestions.didYouMean(name, known));
        }
        p.skipChildren();
        return true;
    }

    private static String unsupported(String where, String name, Map<String, String> fields) {
        return where + name + " is a Logpush field Sluice does not support: " + fields.get(name);
    }

    /**
     * {@code jobs[2].output_options: } for a field of that object; {@code ""} at the root. The
     * parser may stand on the field's name or already inside its value, so the path is cut where
     * the field's own name begins.
     */
    private String place(JsonStreamContext context, String name) {
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.add(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                segments.add(0, c.getCurrentName());
            }
        }
        int own = segments.lastIndexOf(name);
        List<String> parent = own < 0 ? segments : segments.subList(0, own);
        StringBuilder path = new StringBuilder(root);
        for (String segment : parent) {
            boolean index = segment.startsWith("[");
            path.append(index || path.length() == 0 ? "" : ".").append(segment);
        }
        return path.length() == 0 ? "" : path + ": ";
    }

    /** Unknown and unsupported fields, each a problem that refuses the config. */
    List<String> problems() {
        return problems;
    }

    /** Logpush fields accepted and ignored, to be logged. */
    List<String> warnings() {
        return warnings;
    }
}
