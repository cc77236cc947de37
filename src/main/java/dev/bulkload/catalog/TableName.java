package dev.bulkload.catalog;

/**
 * A table's schema-qualified name, for a table that may not exist yet (one a load creates).
 * @param schema the schema
 * @param name the table's name in it
 */
public record TableName(String schema, String name) {

    /** {@code schema.name} as reports show it ({@link LoadableTable#qualifiedName}). */
    public String qualifiedName() {
        return QuotedName.render(this.schema, this.name);
    }

    /** The quoted name for SQL. */
    public String sqlName() {
        return SqlIdentifier.quote(this.schema, this.name);
    }
}
