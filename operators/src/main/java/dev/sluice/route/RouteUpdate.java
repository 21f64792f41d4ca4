package dev.sluice.route;

/**
 * What the router's broadcast input carries: a config update (JSON, from the config topic) or a
 * writer schema (JSON, from the schema topic), tagged. Both travel on one broadcast input, so the
 * router stays the operator it was and its config state restores as before. A Flink POJO.
 */
public class RouteUpdate {

    /** Which topic the text came from. */
    public enum Kind {
        CONFIG,
        SCHEMA
    }

    public Kind kind;

    public String text;

    public RouteUpdate() {}

    private RouteUpdate(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    /** A config update, for the config review. */
    public static RouteUpdate config(String text) {
        return new RouteUpdate(Kind.CONFIG, text);
    }

    /** A writer schema, for {@link WriterSchemas#review}. */
    public static RouteUpdate schema(String text) {
        return new RouteUpdate(Kind.SCHEMA, text);
    }
}
