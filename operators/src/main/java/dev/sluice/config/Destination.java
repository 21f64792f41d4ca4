package dev.sluice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed {@code destination_conf}: {@code s3://bucket/prefix?region=…&endpoint=…}, {@code
 * r2://bucket/prefix?account-id=…} or {@code file:///dir/prefix}.
 *
 * <p>Parsing is strict because a prefix becomes part of every object key: no {@code ..} segments,
 * no control characters, bucket names after S3's rules. {@code {DATE}} in the prefix expands to the
 * batch's UTC date as YYYYMMDD.
 */
public final class Destination {

    public static final String DATE_PLACEHOLDER = "{DATE}";

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern R2_ACCOUNT = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private final String scheme;
    private final String bucket;
    private final String prefix;
    private final Map<String, String> params;

    private Destination(String scheme, String bucket, String prefix, Map<String, String> params) {
        this.scheme = scheme;
        this.bucket = bucket;
        this.prefix = prefix;
        this.params = params;
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
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        Map<String, String> params = parseQuery(uri.getRawQuery());
        switch (scheme) {
            case "s3":
            case "r2":
                return objectStore(scheme, uri, params);
            case "file":
                return file(uri, params);
            default:
                throw new IllegalArgumentException(
                        "destination_conf scheme '" + scheme + "' is not one of s3, r2, file");
        }
    }

    private static Destination objectStore(String scheme, URI uri, Map<String, String> params) {
        String bucket = uri.getHost();
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException(
                    "bucket '"
                            + uri.getAuthority()
                            + "' breaks S3 bucket naming: 3-63 of a-z 0-9 . -,"
                            + " starting and ending with a letter or digit");
        }
        if ("r2".equals(scheme)) {
            String account = params.get("account-id");
            if (account == null) {
                throw new IllegalArgumentException("r2 destination needs account-id=…");
            }
            // It becomes part of the endpoint's host name: letters and digits only.
            if (!R2_ACCOUNT.matcher(account).matches()) {
                throw new IllegalArgumentException(
                        "r2 account-id must be 1-64 letters and digits (Cloudflare's is 32 hex)");
            }
        }
        return new Destination(scheme, bucket, checkedPrefix(uri.getPath()), params);
    }

    private static Destination file(URI uri, Map<String, String> params) {
        if (uri.getAuthority() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new IllegalArgumentException("file destination must be file:///absolute/dir");
        }
        return new Destination("file", "", checkedPrefix(uri.getPath()), params);
    }

    private static String checkedPrefix(String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        for (char c : path.toCharArray()) {
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("prefix contains a control character");
            }
        }
        String trimmed = path.replaceAll("^/+", "").replaceAll("/+$", "");
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
            params.put(decode(key), decode(value));
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public String scheme() {
        return scheme;
    }

    /** The bucket; empty for {@code file://}. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix without leading or trailing slashes, {@code {DATE}} not yet expanded. */
    public String prefix() {
        return prefix;
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** The prefix for a batch whose first event falls on {@code date} (UTC). */
    public String prefixFor(LocalDate date) {
        return prefix.replace(DATE_PLACEHOLDER, YYYYMMDD.format(date));
    }
}
