package dev.bulkload.create;

/** The database would not create the table: the role may not, the schema is missing, or it exists meanwhile. */
public class CreateRefusedException extends RuntimeException {

    private final String table;

    private final Reason reason;

    private final String sqlState;

    CreateRefusedException(String table, Reason reason, String sqlState, String message) {
        super(message);
        this.table = table;
        this.reason = reason;
        this.sqlState = sqlState;
    }

    /** The table, {@code schema.name}. */
    public String table() {
        return this.table;
    }

    public Reason reason() {
        return this.reason;
    }

    public String sqlState() {
        return this.sqlState;
    }

    /** Why the table was not created. */
    public enum Reason {

        /** The database user or the caller's role lacks CREATE on the schema (42501). */
        FORBIDDEN,

        /** The schema does not exist (3F000). */
        NO_SCHEMA,

        /**
         * A table of that name was created meanwhile by another request (42P07, or 23505 on the catalog), or the
         * name is taken by a type (42710).
         */
        EXISTS
    }
}
