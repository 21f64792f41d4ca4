package dev.sluice.route;

import dev.sluice.testing.TestSchemas;

import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WriterSchemasTest {

    @Test
    void acceptsANewerSchemaAndSaysTheReaderSkipsItsNewField() {
        WriterSchemaVerdict verdict = WriterSchemas.review(TestSchemas.NEWER);

        assertThat(verdict.isAccepted()).isTrue();
        assertThat(verdict.fingerprint())
                .isEqualTo(SchemaNormalization.parsingFingerprint64(verdict.schema()))
                .isNotEqualTo(WriterSchemas.READER_FINGERPRINT);
        assertThat(verdict.differences())
                .containsExactly("+ forwarder (\"string\"): not in the reader, skipped");
    }

    @Test
    void acceptsAnOlderSchemaAndSaysTheReaderDefaultsItsMissingField() {
        WriterSchemaVerdict verdict = WriterSchemas.review(TestSchemas.OLDER);

        assertThat(verdict.isAccepted()).isTrue();
        assertThat(verdict.differences())
                .containsExactly("- fields: not written, read as its default {}");
    }

    @Test
    void acceptsTheReaderSchemaWithNoDifference() {
        WriterSchemaVerdict verdict = WriterSchemas.review(WriterSchemas.READER.toString());

        assertThat(verdict.fingerprint()).isEqualTo(WriterSchemas.READER_FINGERPRINT);
        assertThat(verdict.differences()).isEmpty();
    }

    @Test
    void rejectsASchemaMissingAFieldTheReaderHasNoDefaultFor() {
        WriterSchemaVerdict verdict = WriterSchemas.review(TestSchemas.INCOMPATIBLE);

        assertThat(verdict.isAccepted()).isFalse();
        assertThat(verdict.reason())
                .startsWith("incompatible with the reader schema")
                .contains("timestamp_micros");
    }

    @Test
    void rejectsARecordOfAnotherName() {
        WriterSchemaVerdict verdict =
                WriterSchemas.review(TestSchemas.NEWER.replace("\"LogEvent\"", "\"Other\""));

        assertThat(verdict.reason()).contains("NAME_MISMATCH");
    }

    @Test
    void rejectsAnythingElseWithAReasonAndNeverThrows() {
        for (String garbage : new String[] {"", "{", "null", "\"int\"", "{\"type\":\"nope\"}"}) {
            WriterSchemaVerdict verdict = WriterSchemas.review(garbage);
            assertThat(verdict.isAccepted()).as(garbage).isFalse();
            assertThat(verdict.reason()).as(garbage).isNotBlank();
        }
        assertThat(WriterSchemas.review(null).isAccepted()).isFalse();
    }
}
