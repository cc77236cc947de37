package dev.bulkload.catalog;

import java.util.regex.Pattern;

/**
 * A {@code schema.table} pattern with {@code *} (any run of characters) and {@code ?} (one character), as the
 * allow-list, JWT scopes and API-key grants write them. The schema part and the table part are matched each
 * against its own name, never against the joined text, so {@code public.*} cannot reach a table of a schema
 * named {@code public.x}. A part in double quotes ({@code "public.x".*}, {@code sales."a.b"}) is that name exactly,
 * without wildcards; an unquoted schema part ends at the first dot, and an unquoted table part is the rest.
 */
public final class TableGlob {

    /**
     * The form every pattern has: a schema part (quoted, or without dots), a dot, a table part (quoted, or any
     * text); a part that starts with a double quote must be one whole quoted identifier.
     */
    public static final String FORM = "(?s)(?:\"(?:[^\"]|\"\")+\"|[^\".][^.]*)\\.(?:\"(?:[^\"]|\"\")+\"|[^\"].*)";

    /** What a property holding something else than {@link #FORM} is told. */
    public static final String FORM_MESSAGE = "must be schema.table (a part holding a dot in double quotes)";

    private static final Pattern FORM_PATTERN = Pattern.compile(FORM);

    private static final Pattern WILDCARD_EDGE = Pattern.compile("((?<=[*?])|(?=[*?]))");

    private final String glob;

    private final Pattern schema;

    private final Pattern table;

    private TableGlob(String glob) {
        this.glob = glob;
        int dot;
        if (glob.charAt(0) == '"') {
            int end = QuotedName.end(glob, 0);
            this.schema = literal(QuotedName.unquote(glob, 0, end));
            dot = end;
        }
        else {
            dot = glob.indexOf('.');
            this.schema = compile(glob.substring(0, dot));
        }
        String tablePart = glob.substring(dot + 1);
        this.table = (tablePart.charAt(0) == '"')
                ? literal(QuotedName.unquote(tablePart, 0, tablePart.length())) : compile(tablePart);
    }

    /** The pattern for {@code glob}, which must have the form {@code schema.table} ({@link #FORM}). */
    public static TableGlob of(String glob) {
        if (!isGlob(glob)) {
            throw new IllegalArgumentException("Not a schema.table pattern: " + glob);
        }
        return new TableGlob(glob);
    }

    /** Whether {@code text} has the form {@link #FORM} every pattern has. */
    public static boolean isGlob(String text) {
        return FORM_PATTERN.matcher(text).matches();
    }

    /** Whether the schema matches the schema part and the table the table part. */
    public boolean matches(String schema, String table) {
        return this.schema.matcher(schema).matches() && this.table.matcher(table).matches();
    }

    @Override
    public String toString() {
        return this.glob;
    }

    private static Pattern literal(String name) {
        return Pattern.compile(Pattern.quote(name), Pattern.DOTALL);
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : WILDCARD_EDGE.split(glob)) {
            switch (literal) {
                case "*" -> regex.append(".*");
                case "?" -> regex.append('.');
                default -> regex.append(Pattern.quote(literal));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
