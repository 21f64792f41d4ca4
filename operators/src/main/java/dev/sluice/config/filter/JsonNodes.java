package dev.sluice.config.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** What the compiler needs to know of a parsed JSON node, and how messages show one. */
final class JsonNodes {

    private static final int SHOWN_LENGTH = 40;

    private JsonNodes() {}

    /** An object's keys in name order, for matching node shapes and for messages. */
    static Set<String> keys(JsonNode object) {
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            keys.add(names.next());
        }
        return keys;
    }

    /** A node for a message: its type, and the value itself when it is short. */
    static String describe(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        String text = node.toString();
        return text.length() <= SHOWN_LENGTH ? type + " " + text : type;
    }
}
