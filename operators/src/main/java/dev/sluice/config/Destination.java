package dev.sluice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A parsed {@code destination_conf}: {@code s3://bucket/prefix?region=…&endpoint=…}, {@code
 * r2://bucket/prefix?account-id=…} or {@code file:///dir/prefix}. Its {@link DestinationKind} is
 * resolved here, once; everything kind-specific asks it.
 *
 * <p>Parsing is strict because a prefix becomes part of every object key: no {@code ..} segments,
 * no control characters, bucket names after S3's rules. {@code {DATE}} in the prefix expands to the
 * batch's UTC date as YYYYMMDD.
 */
public final class Destination {

    public static final String DATE_PLACEHOLDER = "{DATE}";

    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private static final Pattern LEADING_SLASHES = Pattern.compile("^/+");
    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");

    /**
     * Distinct queries whose parse is kept. A config's destinations mostly differ in their bucket
     * or prefix and share a query (endpoint, region, credentials): at a million jobs, parsing and
     * checking the same query again was most of the start config's review. Past this many the cache
     * starts over, so made-up queries cannot grow it.
     */
    static final int QUERIES_KEPT = 1024;

    private static final Map<String, Query> QUERIES = new ConcurrentHashMap<>();

    /**
     * A checked query: its parameters (unmodifiable) and the S3 client settings built from them;
     * destinations with the same kind and query share one.
     */
    private record Query(Map<String, String> params, Optional<S3ApiSettings> s3Settings) {}

    private final DestinationKind kind;
    private final String bucket;
    private final String prefix;
    private final Map<String, String> params;
    private final Optional<S3ApiSettings> s3Settings;

    private Destination(
            DestinationKind kind,
            String bucket,
            String prefix,
            Map<String, String> params,
            Optional<S3ApiSettings> s3Settings) {
        this.kind = kind;
        this.bucket = bucket;
        this.prefix = prefix;
        this.params = params;
        this.s3Settings = s3Settings;
    }

    private static final Pattern SECRET_PARAM =
            Pattern.compile("(?i)([?&](?:secret-access-key|session-token|access-key-id)=)[^&]*");

    /** A {@code destination_conf} fit for logs, metrics and errors: credentials replaced. */
    public static String redact(String conf) {
        return conf == null ? null : SECRET_PARAM.matcher(conf).replaceAll("$1***");
    }

    /** Parses and validates, or says precisely what is wrong. */
    public static Destination parse(String conf) {
        if (conf == null || conf.isBlank()) {
            throw new IllegalArgumentException("destination_conf is missing");
        }
        URI uri;
        try {
            uri = new URI(conf.replace(DATE_PLACEHOLDER, "%7BDATE%7D"));
        } catch (URISyntaxException e) {
            // The reason and position only: the input may hold credentials.
            throw new IllegalArgumentException(
                    "destination_conf is not a URI: "
                            + e.getReason()
                            + " at index "
                            + e.getIndex());
        }
        DestinationKind kind = DestinationKind.ofScheme(uri.getScheme());
        Query query = query(kind, uri.getRawQuery());
        String bucket = kind.checkedBucket(uri, query.params());
        return new Destination(
                kind, bucket, checkedPrefix(uri.getPath()), query.params(), query.s3Settings());
    }

    /** Forgets every kept query; for tests that compare a cold parse with a warm one. */
    static void forgetQueries() {
        QUERIES.clear();
    }

    /** The checked query of a destination of {@code kind}; a refused one is never kept. */
    private static Query query(DestinationKind kind, String rawQuery) {
        String key = kind.scheme() + "?" + (rawQuery == null ? "" : rawQuery);
        Query known = QUERIES.get(key);
        if (known != null) {
            return known;
        }
        Map<String, String> params = parseQuery(rawQuery);
        kind.checkParameters(params);
        // Built here, so what the review accepts is what the sink's client is built from.
        Query query = new Query(Collections.unmodifiableMap(params), kind.s3Settings(params));
        if (QUERIES.size() >= QUERIES_KEPT) {
            QUERIES.clear();
        }
        QUERIES.put(key, query);
        return query;
    }

    private static String checkedPrefix(String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        for (char c : path.toCharArray()) {
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("prefix contains a control character");
            }
        }
        String trimmed =
                TRAILING_SLASHES
                        .matcher(LEADING_SLASHES.matcher(path).replaceFirst(""))
                        .replaceFirst("");
        for (String segment : trimmed.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("prefix must not contain '.' or '..' segments");
            }
        }
        if (trimmed.contains("//")) {
            throw new IllegalArgumentException("prefix must not contain empty segments");
        }
        return trimmed;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (params.put(decode(key), decode(value)) != null) {
                throw new IllegalArgumentException(
                        "destination parameter '" + decode(key) + "' is given twice");
            }
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** What the destination is: its store, and the defaults of its kind. */
    public DestinationKind kind() {
        return kind;
    }

    /** The scheme, for addresses shown to people; compare {@link #kind()}, not this. */
    public String scheme() {
        return kind.scheme();
    }

    /** The bucket; empty for {@code file://}. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix without leading or trailing slashes, {@code {DATE}} not yet expanded. */
    public String prefix() {
        return prefix;
    }

    /** How an S3 client reaches this destination; empty for a kind no S3 client reaches. */
    public Optional<S3ApiSettings> s3Settings() {
        return s3Settings;
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** The prefix for a batch whose first event falls on {@code date} (UTC). */
    public String prefixFor(LocalDate date) {
        return prefix.replace(DATE_PLACEHOLDER, YYYYMMDD.format(date));
    }
}
