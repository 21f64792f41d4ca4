package dev.sluice.local;

import dev.sluice.schemas.LogEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes realistic forwarded HTTP request logs (Cloudflare-like field names) for a set of customers,
 * skewed so that a few customers send most of the traffic, as in real fleets. Deterministic for a
 * given seed.
 */
public final class HttpLogGenerator {

    public static final String DATASET = "http_requests";

    private static final String[] METHODS = {
        "GET", "GET", "GET", "GET", "GET", "POST", "PUT", "HEAD"
    };
    private static final long[] STATUSES = {
        200, 200, 200, 200, 200, 200, 304, 301, 404, 403, 500, 502
    };

    /** Request paths, each as likely; the JMH benchmarks' sample records draw from them too. */
    public static final List<String> PATHS =
            List.of(
                    "/",
                    "/index.html",
                    "/api/v1/items",
                    "/api/v1/cart",
                    "/static/app.js",
                    "/static/app.css",
                    "/images/logo.png",
                    "/login",
                    "/checkout",
                    "/search");

    private static final String[] COUNTRIES = {
        "us", "de", "gb", "fr", "jp", "br", "in", "au", "ca", "nl"
    };
    private static final String[] CACHE = {
        "hit", "hit", "miss", "dynamic", "expired", "revalidated"
    };
    private static final String[] DEVICES = {"desktop", "mobile", "mobile", "tablet"};

    /** User agents, each as likely; the JMH benchmarks' sample records draw from them too. */
    public static final List<String> AGENTS =
            List.of(
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0"
                            + " Safari/537.36",
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
                            + " Mobile/15E148",
                    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                    "curl/8.11.0");

    private final List<String> customers;
    private final SplittableRandom random;

    public HttpLogGenerator(List<String> customers, long seed) {
        this.customers = List.copyOf(customers);
        this.random = new SplittableRandom(seed);
    }

    /** A customer drawn with a quadratic skew: the first customers are the busiest. */
    public String nextCustomer() {
        return customers.get(skewed(random.nextDouble(), customers.size()));
    }

    /**
     * An index in {@code [0, size)} from a uniform {@code u} in {@code [0, 1)}, with a quadratic
     * skew as in real fleets: of 1,000 the first gets about 3% of the draws, the last 0.05%.
     */
    public static int skewed(double u, int size) {
        return (int) (u * u * size);
    }

    /** One request log of {@code customer} at {@code timestampMicros}. */
    public LogEvent next(String customer, long timestampMicros) {
        Map<String, Object> f = new HashMap<>();
        f.put("ClientIP", "198.51." + random.nextInt(256) + "." + random.nextInt(256));
        f.put("ClientRequestHost", customer + ".example.com");
        f.put("ClientRequestMethod", pick(METHODS));
        f.put("ClientRequestURI", pick(PATHS));
        f.put("ClientCountry", pick(COUNTRIES));
        f.put("ClientDeviceType", pick(DEVICES));
        f.put("ClientRequestUserAgent", pick(AGENTS));
        f.put("EdgeResponseStatus", STATUSES[random.nextInt(STATUSES.length)]);
        f.put("EdgeResponseBytes", 200L + random.nextInt(200_000));
        f.put("EdgeTimeToFirstByteMs", (long) random.nextInt(400));
        f.put("CacheCacheStatus", pick(CACHE));
        f.put("RayID", Long.toHexString(random.nextLong() | Long.MIN_VALUE));
        f.put("WAFScore", random.nextInt(100) < 5 ? null : (double) random.nextInt(100));
        return LogEvent.newBuilder()
                .setCustomerId(customer)
                .setDataset(DATASET)
                .setTimestampMicros(timestampMicros)
                .setFields(f)
                .build();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
