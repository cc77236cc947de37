package dev.bulkload.row;

/** The database refused a row: a wrong type, a NOT NULL, unique, check or foreign-key violation. */
public class RowRejectedException extends PayloadException {

    private final String sqlState;

    private final String constraint;

    public RowRejectedException(String message, Long record, Long line, String column, String sqlState,
            String constraint) {
        super(message, record, line, column);
        this.sqlState = sqlState;
        this.constraint = constraint;
    }

    /** The failure of a load that aborts on this reject. */
    public static RowRejectedException of(Reject reject) {
        return new RowRejectedException(reject.message(), reject.record(), reject.line(), reject.column(),
                reject.sqlState(), reject.constraint());
    }

    public String sqlState() {
        return this.sqlState;
    }

    public String constraint() {
        return this.constraint;
    }
}
