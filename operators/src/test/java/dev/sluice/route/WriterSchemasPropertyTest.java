package dev.sluice.route;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema topic takes any bytes: no text makes the review throw or accept garbage silently. */
class WriterSchemasPropertyTest {

    @Property(tries = 300)
    void anyTextIsReviewedWithoutThrowing(@ForAll String text) {
        WriterSchemaVerdict verdict = WriterSchemas.review(text);

        assertThat(verdict.isAccepted() || !verdict.reason().isBlank()).isTrue();
    }

    @Property(tries = 300)
    void anyTextInsideASchemaShapeIsReviewedWithoutThrowing(@ForAll String name) {
        String json =
                "{\"type\":\"record\",\"name\":\"LogEvent\",\"namespace\":\"dev.sluice.schemas\","
                        + "\"fields\":[{\"name\":\""
                        + name
                        + "\",\"type\":\"string\"}]}";

        assertThat(WriterSchemas.review(json).isAccepted()).isFalse();
    }
}
