package dev.bulkload.catalog;

/**
 * How a table is named in a request ({@code {table}} in the path, the loads' {@code table} filter): {@code name},
 * {@code schema.name}, or with double-quoted parts ({@code "public.x".t}, {@code public."a.b"}, {@code "a.b"}), a
 * quoted part holding its characters literally, dots included. Unquoted text splits at its first dot, and is
 * also looked up whole along the search path, as it always was.
 * @param schema the schema to look in, or empty for none
 * @param name the table's name in {@code schema}, or empty for none
 * @param whole the name to look up along the search path, or null for none
 */
record TableReference(String schema, String name, String whole) {

    /** What {@code reference} names; a malformed quoted reference is read as unquoted text. */
    static TableReference parse(String reference) {
        if (reference.indexOf('"') >= 0) {
            TableReference quoted = quoted(reference);
            if (quoted != null) {
                return quoted;
            }
        }
        int dot = reference.indexOf('.');
        return new TableReference((dot > 0) ? reference.substring(0, dot) : "",
                (dot > 0) ? reference.substring(dot + 1) : reference, reference);
    }

    /** {@code part} or {@code part.part}, each quoted or holding neither a dot nor a quote; else null. */
    private static TableReference quoted(String reference) {
        int[] end = new int[1];
        String first = part(reference, 0, end);
        if (first == null) {
            return null;
        }
        if (end[0] == reference.length()) {
            return new TableReference("", "", first);
        }
        if (reference.charAt(end[0]) != '.') {
            return null;
        }
        String second = part(reference, end[0] + 1, end);
        return (second != null && end[0] == reference.length()) ? new TableReference(first, second, null) : null;
    }

    private static String part(String text, int start, int[] end) {
        if (start >= text.length()) {
            return null;
        }
        if (text.charAt(start) == '"') {
            int close = QuotedName.end(text, start);
            if (close < 0) {
                return null;
            }
            end[0] = close;
            return QuotedName.unquote(text, start, close);
        }
        int i = start;
        while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '"') {
            i++;
        }
        end[0] = i;
        return (i > start) ? text.substring(start, i) : null;
    }
}
