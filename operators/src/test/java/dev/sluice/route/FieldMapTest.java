package dev.sluice.route;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@link FieldMap} refilled record after record reads as a map filled the same way does: the same
 * values by name, the same size, the fields in the order they first came.
 */
class FieldMapTest {

    /** "Aa" and "BB" hash alike, as do "AaAa", "BBBB", "AaBB" and "BBAa": probes must walk on. */
    private static final List<String> NAMES =
            List.of(
                    "Aa",
                    "BB",
                    "AaAa",
                    "BBBB",
                    "AaBB",
                    "BBAa",
                    "ClientIP",
                    "EdgeResponseStatus",
                    "",
                    "ray_id",
                    "fïeld",
                    "timestamp");

    /** One step of the decoder's use: put a name (an equal String, not always the same one). */
    record Put(String name, Object value) {}

    @Property(tries = 500)
    void readsAsAMapFilledAlike(@ForAll("records") List<List<Put>> records) {
        FieldMap fields = new FieldMap();
        for (List<Put> record : records) {
            fields.clear();
            Map<String, Object> model = new LinkedHashMap<>();
            for (Put put : record) {
                assertThat(fields.put(put.name(), put.value()))
                        .isEqualTo(model.put(put.name(), put.value()));
            }

            assertThat(fields).hasSize(model.size()).isEqualTo(model);
            assertThat(new ArrayList<>(fields.entrySet()))
                    .containsExactlyElementsOf(model.entrySet());
            for (String name : NAMES) {
                String equal = new String(name);
                assertThat(fields.get(equal)).isEqualTo(model.get(name));
                assertThat(fields.containsKey(equal)).isEqualTo(model.containsKey(name));
            }
            assertThat(fields.get("absent")).isNull();
            assertThat(fields.get(42)).isNull();
        }
    }

    @Test
    void growsPastItsFirstRoomAndKeepsEveryField() {
        FieldMap fields = new FieldMap();
        for (int i = 0; i < 1000; i++) {
            fields.put("field" + i, (long) i);
        }
        assertThat(fields).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(fields.get("field" + i)).isEqualTo((long) i);
        }
        fields.clear();
        assertThat(fields).isEmpty();
        assertThat(fields.get("field7")).isNull();
    }

    @Test
    void refusesANullNameAndRemoval() {
        FieldMap fields = new FieldMap();
        fields.put("a", 1L);
        assertThatThrownBy(() -> fields.put(null, 1L)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> fields.remove("a"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(fields).containsEntry("a", 1L);
    }

    @Provide
    Arbitrary<List<List<Put>>> records() {
        Arbitrary<Object> values =
                Arbitraries.<Object>oneOf(
                                Arbitraries.longs(),
                                Arbitraries.doubles(),
                                Arbitraries.of(true, false),
                                Arbitraries.strings().ofMaxLength(8))
                        .injectNull(0.2);
        Arbitrary<Put> puts =
                Arbitraries.of(NAMES).flatMap(n -> values.map(v -> new Put(new String(n), v)));
        return puts.list().ofMaxSize(40).list().ofMaxSize(6);
    }
}
