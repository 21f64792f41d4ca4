package dev.sluice.config;

import org.apache.flink.api.common.state.BroadcastState;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** A broadcast state for unit tests of config handling outside an operator. */
public final class InMemoryBroadcastState implements BroadcastState<String, String> {

    private final Map<String, String> map = new HashMap<>();

    @Override
    public void put(String key, String value) {
        map.put(key, value);
    }

    @Override
    public void putAll(Map<String, String> entries) {
        map.putAll(entries);
    }

    @Override
    public void remove(String key) {
        map.remove(key);
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return map.entrySet().iterator();
    }

    @Override
    public Iterable<Map.Entry<String, String>> entries() {
        return map.entrySet();
    }

    @Override
    public String get(String key) {
        return map.get(key);
    }

    @Override
    public boolean contains(String key) {
        return map.containsKey(key);
    }

    @Override
    public Iterable<Map.Entry<String, String>> immutableEntries() {
        return Map.copyOf(map).entrySet();
    }

    @Override
    public void clear() {
        map.clear();
    }
}
