package dev.bulkload.catalog;

import java.util.List;

/**
 * A table the service may load, with its columns in table order and its keys.
 * @param schema the schema name
 * @param name the table name
 * @param columns the columns in attribute order
 * @param primaryKey the primary-key columns, empty when there is none
 * @param uniqueKeys the column lists of the other unique constraints and plain unique indexes
 * @param checks the CHECK constraints
 * @param foreignKeys the foreign keys
 * @param keyNames the name of the constraint or index behind each key, by its column list
 * @param readable whether the current user may SELECT the table (needed to check keys ahead of writing)
 * @param deferrableKeys the column lists of the primary or unique keys declared {@code DEFERRABLE}, which
 *        cannot arbitrate {@code ON CONFLICT}
 * @param hasDeferrableConstraints whether any enforced constraint of the table (unique, primary key, foreign
 *        key, exclusion) is {@code DEFERRABLE}, so may be checked only at commit, not at the statement
 * @param rowSecurity whether the table has row-level security enabled ({@code pg_class.relrowsecurity}), so
 *        PostgreSQL refuses {@code COPY FROM} into it for a role its policies apply to
 */
public record LoadableTable(String schema, String name, List<LoadableColumn> columns, List<String> primaryKey,
        List<List<String>> uniqueKeys, List<CheckConstraint> checks, List<ForeignKey> foreignKeys,
        java.util.Map<List<String>, String> keyNames, boolean readable, List<List<String>> deferrableKeys,
        boolean hasDeferrableConstraints, boolean rowSecurity) {

    public LoadableTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
        checks = List.copyOf(checks);
        foreignKeys = List.copyOf(foreignKeys);
        keyNames = java.util.Map.copyOf(keyNames);
        deferrableKeys = deferrableKeys.stream().map(List::copyOf).toList();
    }

    /** A table without row-level security, as callers that predate it build it. */
    public LoadableTable(String schema, String name, List<LoadableColumn> columns, List<String> primaryKey,
            List<List<String>> uniqueKeys, List<CheckConstraint> checks, List<ForeignKey> foreignKeys,
            java.util.Map<List<String>, String> keyNames, boolean readable, List<List<String>> deferrableKeys,
            boolean hasDeferrableConstraints) {
        this(schema, name, columns, primaryKey, uniqueKeys, checks, foreignKeys, keyNames, readable, deferrableKeys,
                hasDeferrableConstraints, false);
    }

    /** A table without deferrable constraints, as callers that predate them build it. */
    public LoadableTable(String schema, String name, List<LoadableColumn> columns, List<String> primaryKey,
            List<List<String>> uniqueKeys, List<CheckConstraint> checks, List<ForeignKey> foreignKeys,
            java.util.Map<List<String>, String> keyNames, boolean readable) {
        this(schema, name, columns, primaryKey, uniqueKeys, checks, foreignKeys, keyNames, readable, List.of(), false);
    }

    /** A table with columns and keys only, as tests and simple callers build it. */
    public LoadableTable(String schema, String name, List<LoadableColumn> columns, List<String> primaryKey,
            List<List<String>> uniqueKeys) {
        this(schema, name, columns, primaryKey, uniqueKeys, List.of(), List.of(), java.util.Map.of(), true);
    }

    /** The primary key (when there is one) followed by the other unique keys. */
    public List<List<String>> allUniqueKeys() {
        List<List<String>> keys = new java.util.ArrayList<>();
        if (!this.primaryKey.isEmpty()) {
            keys.add(this.primaryKey);
        }
        keys.addAll(this.uniqueKeys);
        return keys;
    }

    /**
     * Whether a primary or unique key on exactly these columns (in any order) is deferrable; when one is,
     * PostgreSQL refuses {@code ON CONFLICT} on them even if another, immediate index covers the same columns.
     */
    public boolean isDeferrableKey(List<String> key) {
        return this.deferrableKeys.stream()
            .anyMatch((deferrable) -> deferrable.size() == key.size() && deferrable.containsAll(key));
    }

    /** The column with exactly this name; the name must exist. */
    public LoadableColumn column(String name) {
        int index = indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("No column " + name);
        }
        return this.columns.get(index);
    }

    /**
     * {@code schema.name} for reports, logs and metric tags: unquoted, except a part holding a dot or a double
     * quote, which is double-quoted ({@code "public.x".t}) so the text names this table only; the path's
     * {@code {table}} takes it back.
     */
    public String qualifiedName() {
        return QuotedName.render(this.schema, this.name);
    }

    /** The quoted name for SQL. */
    public String sqlName() {
        return SqlIdentifier.quote(this.schema, this.name);
    }

    /** The index of the column with exactly this name, or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < this.columns.size(); i++) {
            if (this.columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of a column named by a payload: an exact match, else the only case-insensitive
     * match, else -1.
     */
    public int resolve(String column) {
        int exact = indexOf(column);
        if (exact >= 0) {
            return exact;
        }
        int found = -1;
        for (int i = 0; i < this.columns.size(); i++) {
            if (this.columns.get(i).name().equalsIgnoreCase(column)) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }
}
