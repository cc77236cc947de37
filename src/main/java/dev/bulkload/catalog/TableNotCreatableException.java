package dev.bulkload.catalog;

/**
 * A load with {@code create=true} names a table that does not exist and may not be created here: outside the
 * allow-list, in the service's own schema, or a name PostgreSQL cannot take. Answered like a table that is not
 * loadable (404), so that nothing tells the allow-list's tables apart from others.
 */
public class TableNotCreatableException extends TableNotFoundException {

    private final String reason;

    public TableNotCreatableException(String table, String reason) {
        super(table);
        this.reason = reason;
    }

    @Override
    public String getMessage() {
        return "No loadable table named '" + table() + "', and it cannot be created: " + this.reason;
    }
}
