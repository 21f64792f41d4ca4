package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;
import dev.sluice.testing.GeneratedConfigs;
import dev.sluice.testing.GeneratedEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every filter validation accepts answers every event, whatever its fields hold, without throwing;
 * and each {@code !} operator answers the opposite of its positive.
 */
class RecordFilterFuzzTest {

    @Property(tries = 400)
    void anAcceptedFilterAnswersEveryEvent(
            @ForAll("filters") String filterJson,
            @ForAll @Size(max = 4)
                    List<@From(supplier = GeneratedEvents.Events.class) LogEvent> events) {
        RecordFilter filter = compiledOrNull(filterJson);
        if (filter == null) {
            return;
        }
        for (LogEvent event : events) {
            filter.test(event);
        }
    }

    @Property(tries = 400)
    void aNegatedOperatorAnswersTheOppositeOfItsPositive(
            @ForAll("leaves") JsonNode leaf,
            @ForAll(supplier = GeneratedEvents.Events.class) LogEvent event) {
        String operator = leaf.get("operator").textValue();
        String positive = operator.startsWith("!") ? operator.substring(1) : operator;
        ObjectNode negatedLeaf = ((ObjectNode) leaf.deepCopy()).put("operator", "!" + positive);
        ObjectNode positiveLeaf = ((ObjectNode) leaf.deepCopy()).put("operator", positive);
        RecordFilter yes = compiledOrNull("{\"where\":" + positiveLeaf + "}");
        RecordFilter no = compiledOrNull("{\"where\":" + negatedLeaf + "}");
        if (yes == null || no == null) {
            return;
        }
        // Put the leaf's own key in the event now and then, so matches happen too.
        String key = leaf.get("key").textValue();
        if (event.getFields().size() % 2 == 0 && leaf.get("value").isValueNode()) {
            event.getFields().put(key, fieldValue(leaf.get("value")));
        }

        assertThat(no.test(event)).isEqualTo(!yes.test(event));
    }

    private static Object fieldValue(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return value.isBoolean() ? value.booleanValue() : null;
    }

    private static RecordFilter compiledOrNull(String filterJson) {
        try {
            return FilterCompiler.compile(filterJson);
        } catch (InvalidFilterException e) {
            assertThat(e.problems()).isNotEmpty();
            return null;
        }
    }

    @Provide
    Arbitrary<String> filters() {
        return GeneratedConfigs.filters();
    }

    @Provide
    Arbitrary<JsonNode> leaves() {
        return GeneratedConfigs.leaves();
    }
}
