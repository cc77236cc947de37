package dev.bulkload.catalog;

/** No loadable table has this name: it does not exist, or it is outside the allow-list or not insertable. */
public class TableNotFoundException extends RuntimeException {

    private final String table;

    public TableNotFoundException(String table) {
        super("No loadable table named '" + table + "'");
        this.table = table;
    }

    public String table() {
        return this.table;
    }
}
