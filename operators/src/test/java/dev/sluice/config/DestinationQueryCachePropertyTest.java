package dev.sluice.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Destinations share the parse of their query; whatever the order in which destinations come, each
 * parses (or is refused, with the same reason) as it does alone with nothing kept.
 */
class DestinationQueryCachePropertyTest {

    @Property(tries = 300)
    void aDestinationParsesTheSameWithOrWithoutQueriesKept(
            @ForAll("destinations") @Size(min = 1, max = 12) List<String> confs) {
        List<String> warm = new ArrayList<>();
        for (String conf : confs) {
            warm.add(outcome(conf));
        }
        for (int i = 0; i < confs.size(); i++) {
            Destination.forgetQueries();

            assertThat(outcome(confs.get(i))).as(confs.get(i)).isEqualTo(warm.get(i));
        }
    }

    /** Everything a parse yields, or its refusal. */
    private static String outcome(String conf) {
        try {
            Destination d = Destination.parse(conf);
            return d.kind()
                    + " "
                    + d.bucket()
                    + " "
                    + d.prefix()
                    + " "
                    + d.s3Settings()
                    + " "
                    + d.param("region")
                    + d.param("endpoint")
                    + d.param("credentials");
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Provide
    Arbitrary<List<String>> destinations() {
        Arbitrary<String> scheme = Arbitraries.of("s3", "r2", "file", "S3", "gs");
        Arbitrary<String> bucket =
                Arbitraries.of("logs", "logs-b", "Bad_Bucket", "", "a", "acme-logs.eu");
        Arbitrary<String> prefix = Arbitraries.of("", "/x", "/x/{DATE}", "/../up", "/a//b", "/y/");
        Arbitrary<String> param =
                Arbitraries.of(
                        "region=eu-west-1",
                        "region=",
                        "endpoint=http://127.0.0.1:9000",
                        "endpoint=ftp://x",
                        "account-id=0123456789abcdef0123456789abcdef",
                        "account-id=nope",
                        "credentials=acme",
                        "access-key-id=k",
                        "secret-access-key=s",
                        "sse=AES256",
                        "sse=aes256",
                        "checksums=when-supported",
                        "attempt-timeout-ms=500",
                        "attempt-timeout-ms=soon",
                        "unknown=1");
        Arbitrary<String> query =
                param.list().ofMaxSize(4).map(ps -> ps.isEmpty() ? "" : "?" + String.join("&", ps));
        Arbitrary<String> conf =
                Combinators.combine(scheme, bucket, prefix, query)
                        .as((s, b, p, q) -> s + "://" + b + p + q);
        // Few distinct queries, so destinations often share one.
        return conf.list().ofMaxSize(12);
    }
}
