package dev.sluice.route;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of the event the router decodes into, emptied and refilled record after record: the
 * names and values in two arrays in the order they were put, and an open-addressing table of their
 * positions. A {@code HashMap} refilled per record allocated a node per field (a third of a
 * gigabyte a million records) and cleared its whole table each time; this allocates only when a
 * record has more fields than any before it.
 *
 * <p>A map for reading: put and get behave as a {@code HashMap}'s (a name put twice keeps its last
 * value), iteration goes in the order names were first put; names are never null, and removing one
 * is unsupported, since nothing downstream of the decoder changes an event's fields.
 */
final class FieldMap extends AbstractMap<String, Object> {

    private static final int INITIAL_FIELDS = 16;

    private String[] names = new String[INITIAL_FIELDS];
    private Object[] values = new Object[INITIAL_FIELDS];

    /** Position + 1 of the field whose name hashes there, 0 where free; twice the room or more. */
    private int[] slots = new int[2 * INITIAL_FIELDS];

    private int size;

    @Override
    public Object put(String name, Object value) {
        Objects.requireNonNull(name, "field name");
        int slot = slotOf(name);
        int position = slots[slot] - 1;
        if (position >= 0) {
            Object previous = values[position];
            values[position] = value;
            return previous;
        }
        if (size == names.length) {
            grow();
            slot = slotOf(name);
        }
        names[size] = name;
        values[size] = value;
        slots[slot] = ++size;
        return null;
    }

    @Override
    public Object get(Object name) {
        int position = positionOf(name);
        return position < 0 ? null : values[position];
    }

    @Override
    public boolean containsKey(Object name) {
        return positionOf(name) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    /** Empties it, keeping its arrays for the next record. */
    @Override
    public void clear() {
        Arrays.fill(slots, 0);
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    private int positionOf(Object name) {
        if (!(name instanceof String)) {
            return -1;
        }
        return slots[slotOf((String) name)] - 1;
    }

    /** The slot holding {@code name}, or the free slot where it would go. */
    private int slotOf(String name) {
        int mask = slots.length - 1;
        int h = name.hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        while (true) {
            int position = slots[slot] - 1;
            if (position < 0) {
                return slot;
            }
            String held = names[position];
            if (held == name || held.equals(name)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        names = Arrays.copyOf(names, 2 * names.length);
        values = Arrays.copyOf(values, 2 * values.length);
        slots = new int[2 * names.length];
        for (int i = 0; i < size; i++) {
            slots[slotOf(names[i])] = i + 1;
        }
    }
}
