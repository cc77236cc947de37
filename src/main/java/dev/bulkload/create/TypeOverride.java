package dev.bulkload.create;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code types=<column>:<type>} entry, split at the first {@code :}. The type must look like a type name
 * (words, an optional schema, one parenthesized modifier list of integers, array brackets: never a quote, a
 * semicolon, a comment or an operator), and {@link TypeNames} then has PostgreSQL's own type parser accept it, so
 * that what goes into the CREATE TABLE is a type name and nothing else.
 * @param column the column (or field) it types, as written
 * @param type the type, as written (trimmed)
 */
public record TypeOverride(String column, String type) {

    /** The longest type text accepted. */
    static final int MAX_TYPE_LENGTH = 128;

    private static final String WORD = "[A-Za-z_][A-Za-z0-9_$]*";

    private static final Pattern TYPE_NAME = Pattern.compile(WORD + "(?:\\." + WORD + ")?(?:\\s+" + WORD + ")*"
            + "(?:\\s*\\(\\s*[0-9]{1,9}\\s*(?:,\\s*-?[0-9]{1,9}\\s*)?\\))?(?:\\s+" + WORD + ")*"
            + "(?:\\s*\\[\\s*[0-9]{0,9}\\s*\\])*");

    /** The entry as the client writes it. */
    public String text() {
        return this.column + ":" + this.type;
    }

    /**
     * Parses the entries as sent; null and empty ones are skipped.
     * @throws IllegalArgumentException for an entry without {@code :}, an empty column or type, a type that cannot
     * be a type name, or a column typed twice
     */
    public static List<TypeOverride> parseAll(List<String> entries) {
        List<TypeOverride> types = new ArrayList<>();
        if (entries == null) {
            return types;
        }
        Set<String> columns = new HashSet<>();
        for (String text : entries) {
            if (text == null || text.isEmpty()) {
                continue;
            }
            TypeOverride entry = parse(text);
            if (!columns.add(entry.column())) {
                throw new IllegalArgumentException("types names column '" + entry.column() + "' twice");
            }
            types.add(entry);
        }
        return types;
    }

    static TypeOverride parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("types must be <column>:<type> (split at the first ':'), e.g. "
                    + "amount:numeric(12,2); got '" + printable(text) + "'");
        }
        String column = text.substring(0, colon).strip();
        String type = text.substring(colon + 1).strip();
        if (column.isEmpty()) {
            throw new IllegalArgumentException("types names no column before ':' in '" + printable(text) + "'");
        }
        if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH || !TYPE_NAME.matcher(type).matches()) {
            throw new IllegalArgumentException("types=" + printable(text) + ": '" + printable(type)
                    + "' is not a PostgreSQL type name (such as bigint, text, numeric(12,2), timestamp with time zone, "
                    + "text[])");
        }
        return new TypeOverride(column, type);
    }

    /** The text for a problem's detail: control characters shown as '?', at most 200 characters. */
    static String printable(String text) {
        String shown = (text.length() > 200) ? text.substring(0, 200) + "\u2026" : text;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach((c) -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
