package dev.bulkload.catalog;

import java.util.List;

/** Decides from the include/exclude patterns whether a table may be loaded; the service's own schema never may. */
final class TableAllowList {

    static final String OWN_SCHEMA = "bulkload";

    private final List<TableGlob> include;

    private final List<TableGlob> exclude;

    TableAllowList(TablesProperties properties) {
        this.include = properties.include().stream().map(TableGlob::of).toList();
        this.exclude = properties.exclude().stream().map(TableGlob::of).toList();
    }

    boolean allows(String schema, String table) {
        if (schema.equals(OWN_SCHEMA)) {
            return false;
        }
        return this.include.stream().anyMatch((glob) -> glob.matches(schema, table))
                && this.exclude.stream().noneMatch((glob) -> glob.matches(schema, table));
    }
}
