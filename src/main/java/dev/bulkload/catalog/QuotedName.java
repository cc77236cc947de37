package dev.bulkload.catalog;

/**
 * Reads and writes the parts of a {@code schema.table} text, where a part that starts with a double quote is a
 * quoted identifier ({@code "public.x"}, a doubled {@code ""} standing for one quote) and holds its characters
 * literally, dots included. Shared by table patterns and table references, so both split a name the same way.
 */
final class QuotedName {

    private QuotedName() {
    }

    /**
     * Where the quoted identifier starting at {@code start} (a double quote) ends: the index just after its
     * closing quote, or -1 when it is not closed or is empty.
     */
    static int end(String text, int start) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    i += 2;
                    continue;
                }
                return (i == start + 1) ? -1 : i + 1;
            }
            i++;
        }
        return -1;
    }

    /** The characters of the quoted identifier {@code text[start, end)}, its quotes removed and undoubled. */
    static String unquote(String text, int start, int end) {
        return text.substring(start + 1, end - 1).replace("\"\"", "\"");
    }

    /**
     * {@code schema.name} as reports show it: each part as it is, or quoted when it holds a dot or a double quote,
     * so that the text names one table only ({@code "public.x".t} is not {@code public."x.t"}).
     */
    static String render(String schema, String name) {
        return part(schema) + '.' + part(name);
    }

    private static String part(String name) {
        return (name.indexOf('.') >= 0 || name.indexOf('"') >= 0) ? '"' + name.replace("\"", "\"\"") + '"' : name;
    }
}
