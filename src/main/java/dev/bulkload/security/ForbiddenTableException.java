package dev.bulkload.security;

/** A load into a loadable table the caller holds no grant for. */
public class ForbiddenTableException extends RuntimeException {

    private final String table;

    public ForbiddenTableException(String table) {
        super("You may not load into " + table + ": no scope or API key grants it");
        this.table = table;
    }

    /** A refusal in other words than a load's (a create). */
    public ForbiddenTableException(String table, String message) {
        super(message);
        this.table = table;
    }

    /** The table, {@code schema.name}. */
    public String table() {
        return this.table;
    }
}
