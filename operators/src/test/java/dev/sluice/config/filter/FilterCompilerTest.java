package dev.sluice.config.filter;

import dev.sluice.schemas.LogEvent;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.sluice.config.filter.EventBuilder.event;
import static dev.sluice.config.filter.Filters.and;
import static dev.sluice.config.filter.Filters.compileWhere;
import static dev.sluice.config.filter.Filters.leaf;
import static dev.sluice.config.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;

/** Compiling whole filters: and, or, nesting, and the filters that keep everything. */
class FilterCompilerTest {

    /** The example from the Logpush docs: not Canada, and either a 5xx or an API request. */
    private static final String LOGPUSH_EXAMPLE =
            "{\"where\":{\"and\":[{\"key\":\"ClientCountry\",\"operator\":\"!eq\","
                    + "\"value\":\"ca\"},{\"or\":[{\"key\":\"EdgeResponseStatus\","
                    + "\"operator\":\"geq\",\"value\":500},{\"key\":\"ClientRequestURI\","
                    + "\"operator\":\"startsWith\",\"value\":\"/api\"}]}]}}";

    private static LogEvent request(String country, long status, String uri) {
        return event().with("ClientCountry", country)
                .with("EdgeResponseStatus", status)
                .with("ClientRequestURI", uri)
                .build();
    }

    @Test
    void compilesTheLogpushExample() throws Exception {
        RecordFilter filter = FilterCompiler.compile(LOGPUSH_EXAMPLE);

        assertThat(filter.test(request("us", 503, "/"))).isTrue();
        assertThat(filter.test(request("us", 200, "/api/users"))).isTrue();
        assertThat(filter.test(request("us", 200, "/"))).isFalse();
        assertThat(filter.test(request("ca", 503, "/api/users"))).isFalse();
        // No country at all is "not ca".
        assertThat(filter.test(event().with("EdgeResponseStatus", 500L).build())).isTrue();
    }

    @Test
    void andKeepsWhatEveryConditionKeeps() {
        RecordFilter filter =
                compileWhere(
                        and(
                                leaf("ClientCountry", "eq", "'us'"),
                                leaf("EdgeResponseStatus", "lt", "400")));

        assertThat(filter.test(request("us", 200, "/"))).isTrue();
        assertThat(filter.test(request("us", 404, "/"))).isFalse();
        assertThat(filter.test(request("fr", 200, "/"))).isFalse();
    }

    @Test
    void orKeepsWhatAnyConditionKeeps() {
        RecordFilter filter =
                compileWhere(
                        or(
                                leaf("ClientCountry", "eq", "'us'"),
                                leaf("EdgeResponseStatus", "geq", "500")));

        assertThat(filter.test(request("us", 200, "/"))).isTrue();
        assertThat(filter.test(request("fr", 502, "/"))).isTrue();
        assertThat(filter.test(request("fr", 200, "/"))).isFalse();
    }

    @Test
    void nestsAndAndOrToAnyDepthTheLimitsAllow() {
        // (country in {us, ca} and (status >= 500 or (uri starts with /api and not /api/health)))
        RecordFilter filter =
                compileWhere(
                        and(
                                leaf("ClientCountry", "in", "['us','ca']"),
                                or(
                                        leaf("EdgeResponseStatus", "geq", "500"),
                                        and(
                                                leaf("ClientRequestURI", "startsWith", "'/api'"),
                                                leaf(
                                                        "ClientRequestURI",
                                                        "!startsWith",
                                                        "'/api/health'")))));

        assertThat(filter.test(request("ca", 500, "/"))).isTrue();
        assertThat(filter.test(request("us", 200, "/api/users"))).isTrue();
        assertThat(filter.test(request("us", 200, "/api/health"))).isFalse();
        assertThat(filter.test(request("us", 200, "/static"))).isFalse();
        assertThat(filter.test(request("fr", 500, "/api/users"))).isFalse();
    }

    @Test
    void aSingleConditionNeedsNoGroupAndAGroupMayHoldOne() {
        LogEvent us = request("us", 200, "/");

        assertThat(compileWhere(leaf("ClientCountry", "eq", "'us'")).test(us)).isTrue();
        assertThat(compileWhere(and(or(leaf("ClientCountry", "eq", "'us'")))).test(us)).isTrue();
        assertThat(compileWhere(or(and(leaf("ClientCountry", "eq", "'ca'")))).test(us)).isFalse();
    }

    @Test
    void anEmptyOrAbsentFilterKeepsEverything() throws Exception {
        assertThat(FilterCompiler.compile(null)).isSameAs(RecordFilter.ACCEPT_ALL);
        assertThat(FilterCompiler.compile("")).isSameAs(RecordFilter.ACCEPT_ALL);
        assertThat(FilterCompiler.compile(" \n")).isSameAs(RecordFilter.ACCEPT_ALL);
        assertThat(RecordFilter.ACCEPT_ALL.test(event().build())).isTrue();
    }

    @Test
    void acceptsFiltersUpToTheLimits() throws Exception {
        String padded = Filters.where(leaf("ClientRequestURI", "eq", "'/" + "a".repeat(30) + "'"));
        String atLimit = padded + " ".repeat(FilterCompiler.MAX_BYTES - padded.length());
        String[] leaves = new String[25];
        Arrays.fill(leaves, leaf("a", "eq", "1"));
        String manyOperators = Filters.where(or(leaves));

        assertThat(atLimit).hasSize(FilterCompiler.MAX_BYTES);
        assertThat(FilterCompiler.compile(atLimit).test(event().build())).isFalse();
        assertThat(manyOperators.length()).isLessThanOrEqualTo(FilterCompiler.MAX_BYTES);
        assertThat(FilterCompiler.compile(manyOperators).test(event().with("a", 1L).build()))
                .isTrue();
    }
}
