package dev.bulkload.catalog;

/** Quotes SQL identifiers; every identifier in generated SQL goes through here. */
public final class SqlIdentifier {

    private SqlIdentifier() {
    }

    /** Quotes a name so PostgreSQL reads it verbatim: {@code a"b} becomes {@code "a""b"}. */
    public static String quote(String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Identifier is empty or holds a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Quotes a schema-qualified name. */
    public static String quote(String schema, String name) {
        return quote(schema) + '.' + quote(name);
    }
}
