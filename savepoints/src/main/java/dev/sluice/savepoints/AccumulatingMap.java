package dev.sluice.savepoints;

import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import java.io.Serializable;

/**
 * Adds every element to a list accumulator, which the client receives with the job's result. The
 * inspector's output is one small row per delivery job, and unlike the collect sink this needs no
 * conversation with a local cluster that shuts down as soon as the reading job ends.
 */
final class AccumulatingMap<T extends Serializable> extends RichMapFunction<T, T> {

    private static final long serialVersionUID = 1L;

    private final String name;

    private transient ListAccumulator<T> items;

    AccumulatingMap(String name) {
        this.name = name;
    }

    @Override
    public void open(OpenContext openContext) {
        items = new ListAccumulator<>();
        getRuntimeContext().addAccumulator(name, items);
    }

    @Override
    public T map(T value) {
        items.add(value);
        return value;
    }
}
