package dev.bulkload.create;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Folds a field's name into a PostgreSQL identifier for a new column: lower case; every character that is not a
 * letter or a digit (spaces, punctuation, quotes, control characters) becomes {@code _}; runs of {@code _}
 * collapse and leading and trailing ones go; a name starting with a digit gets a leading {@code _}
 * ({@code 1st} becomes {@code _1st}); a name left empty becomes {@code column_<position>}; at most 63 bytes
 * (PostgreSQL's NAMEDATALEN - 1), cut at a character boundary; the name of a system column, which no table may
 * have ({@code xmin}, {@code ctid}, …, as in a bounding box's {@code xmin,ymin,xmax,ymax}), gets a trailing
 * {@code _} ({@code xmin_}).
 */
public final class ColumnNames {

    /** The most bytes of a PostgreSQL identifier. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    /** PostgreSQL's system columns: every table has them, so no column may be named so. */
    private static final Set<String> SYSTEM_COLUMNS = Set.of("tableoid", "xmin", "cmin", "xmax", "cmax", "ctid");

    private ColumnNames() {
    }

    /**
     * The column name for a field.
     * @param position the field's 1-based position, for a name that folds to nothing
     */
    public static String fold(String field, int position) {
        String lower = field.toLowerCase(Locale.ROOT);
        StringBuilder folded = new StringBuilder(lower.length());
        boolean underscore = false;
        for (int i = 0; i < lower.length();) {
            int c = lower.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c)) {
                if (underscore && folded.length() > 0) {
                    folded.append('_');
                }
                underscore = false;
                folded.appendCodePoint(c);
            }
            else {
                underscore = true;
            }
        }
        if (folded.length() == 0) {
            return "column_" + position;
        }
        if (Character.isDigit(folded.codePointAt(0))) {
            folded.insert(0, '_');
        }
        String name = truncate(folded.toString());
        return SYSTEM_COLUMNS.contains(name) ? name + "_" : name;
    }

    private static String truncate(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER_BYTES) {
            return name;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length();) {
            int c = name.codePointAt(i);
            int size = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_IDENTIFIER_BYTES) {
                break;
            }
            cut.appendCodePoint(c);
            bytes += size;
            i += Character.charCount(c);
        }
        while (cut.length() > 1 && cut.charAt(cut.length() - 1) == '_') {
            cut.setLength(cut.length() - 1);
        }
        return cut.toString();
    }
}
