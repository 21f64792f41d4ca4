package dev.sluice.config.filter;

import dev.sluice.config.ConfigParser;
import dev.sluice.config.ConfigSnapshot;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.InvalidConfigException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static dev.sluice.config.filter.EventBuilder.withField;
import static dev.sluice.config.filter.Filters.leaf;
import static dev.sluice.config.filter.Filters.where;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A job's filter as the config carries it: a JSON string, validated with the whole snapshot. */
class JobFilterValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A valid snapshot of one job, with the given {@code "filter": ...} member (or none). */
    private static String snapshotWithFilter(String filterMember) {
        return "{\"version\":1,\"jobs\":[{\"id\":7,\"customer_id\":\"acme\","
                + "\"dataset\":\"http_requests\",\"destination_conf\":\"s3://logs-bucket/acme\""
                + filterMember
                + "}]}";
    }

    /** The filter as a JSON string member, escaped as the Logpush API sends it. */
    private static String filterMember(String filterJson) throws Exception {
        return ",\"filter\":" + JSON.writeValueAsString(filterJson);
    }

    @Test
    void aJobWithoutAFilterKeepsEverything() throws Exception {
        DeliveryJob absent = ConfigParser.parse(snapshotWithFilter("")).jobs().get(0);
        DeliveryJob explicitNull =
                ConfigParser.parse(snapshotWithFilter(",\"filter\":null")).jobs().get(0);

        assertThat(absent.filter()).isEmpty();
        assertThat(explicitNull.filter()).isEmpty();
        assertThat(absent.compileFilter()).isSameAs(RecordFilter.ACCEPT_ALL);
    }

    @Test
    void aJobsFilterIsCompiledOnceFromItsJsonString() throws Exception {
        String filter = where(leaf("EdgeResponseStatus", "geq", "500"));
        ConfigSnapshot snapshot = ConfigParser.parse(snapshotWithFilter(filterMember(filter)));

        RecordFilter compiled = snapshot.jobs().get(0).compileFilter();

        assertThat(snapshot.jobs().get(0).filter()).isEqualTo(filter);
        assertThat(compiled.test(withField("EdgeResponseStatus", 503L))).isTrue();
        assertThat(compiled.test(withField("EdgeResponseStatus", 200L))).isFalse();
    }

    @Test
    void theFilterSurvivesTheSnapshotsJsonRoundTrip() throws Exception {
        String filter = where(leaf("ClientCountry", "in", "['us','ca']"));
        ConfigSnapshot snapshot = ConfigParser.parse(snapshotWithFilter(filterMember(filter)));

        assertThat(ConfigParser.parse(ConfigParser.toJson(snapshot))).isEqualTo(snapshot);
    }

    @Test
    void anInvalidFilterRejectsTheSnapshotNamingTheJobAndThePath() throws Exception {
        String filter =
                "{\"where\":{\"and\":[{\"key\":\"ClientCountry\",\"operator\":\"!eq\","
                    + "\"value\":\"ca\"},{\"or\":[{\"key\":\"EdgeResponseStatus\",\"operator\":\"geq\","
                    + "\"value\":\"500\"},{\"key\":\"ClientRequestURI\",\"operator\":\"startsWith\","
                    + "\"value\":\"/api\"}]}]}}";

        assertThatThrownBy(() -> ConfigParser.parse(snapshotWithFilter(filterMember(filter))))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "job 7: filter.where.and[1].or[0]: operator 'geq'"
                                                    + " needs a number value, found value string"
                                                    + " \"500\""))
                .hasMessage(
                        "invalid delivery configuration: job 7: filter.where.and[1].or[0]: operator"
                                + " 'geq' needs a number value, found value string \"500\"");
    }

    @Test
    void aFilterThatIsNotAStringIsNotAConfig() {
        String objectFilter =
                ",\"filter\":{\"where\":{\"key\":\"a\",\"operator\":\"eq\",\"value\":1}}";

        assertThatThrownBy(() -> ConfigParser.parse(snapshotWithFilter(objectFilter)))
                .hasMessageStartingWith("invalid delivery configuration: not a config snapshot:");
    }

    @Test
    void compilingAnUnvalidatedBadFilterIsABug() {
        DeliveryJob job =
                DeliveryJob.fromJson(
                        7, "acme", "http_requests", true, "s3://b/p", null, "{", null, null, null);

        assertThatThrownBy(job::compileFilter)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("job 7")
                .hasMessageContaining("filter: not valid JSON");
    }
}
