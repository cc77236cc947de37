package dev.bulkload.catalog;

import java.util.regex.Pattern;

/**
 * A {@code schema.table} pattern with {@code *} (any run of characters) and {@code ?} (one character), as the
 * allow-list, JWT scopes and API-key grants write them.
 */
public final class TableGlob {

    /** The form every pattern has: a schema part without dots, a dot, a table part. */
    public static final String FORM = "[^.]+\\..+";

    private static final Pattern FORM_PATTERN = Pattern.compile(FORM);

    private static final Pattern WILDCARD_EDGE = Pattern.compile("((?<=[*?])|(?=[*?]))");

    private final String glob;

    private final Pattern pattern;

    private TableGlob(String glob) {
        this.glob = glob;
        this.pattern = compile(glob);
    }

    /** The pattern for {@code glob}, which must have the form {@code schema.table}. */
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

    /** Whether {@code schema.table} matches. */
    public boolean matches(String schema, String table) {
        return this.pattern.matcher(schema + "." + table).matches();
    }

    @Override
    public String toString() {
        return this.glob;
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
