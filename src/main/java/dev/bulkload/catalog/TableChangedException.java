package dev.bulkload.catalog;

/**
 * A load failed because its table's definition changed after the service read it (a column or the table
 * dropped, a type or key changed); the definition has been read again, so the same load can be sent again.
 */
public class TableChangedException extends RuntimeException {

    private final String table;

    private final String sqlState;

    public TableChangedException(String table, String sqlState, Throwable cause) {
        super("The definition of table " + table + " changed while the load ran (SQLSTATE " + sqlState
                + "); the service has read it again: send the load again", cause);
        this.table = table;
        this.sqlState = sqlState;
    }

    public String table() {
        return this.table;
    }

    public String sqlState() {
        return this.sqlState;
    }
}
