package dev.sluice.config;

import java.util.List;

/** A configuration that must not take effect, with every reason found. */
public final class InvalidConfigException extends Exception {

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid delivery configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
