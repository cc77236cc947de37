package dev.bulkload.pooling;

import java.util.Locale;

/** {@code bulkload.database.pooling} does not say what the connections do; the service does not start. */
class PoolingMismatchException extends RuntimeException {

    private final String action;

    PoolingMismatchException(Pooling configured, Pooling found) {
        super(describe(configured, found));
        this.action = "Set bulkload.database.pooling=" + found.name().toLowerCase(Locale.ROOT)
                + " (BULKLOAD_DATABASE_POOLING), or point spring.datasource.url at what it means to use.";
    }

    PoolingMismatchException(int prepareThreshold) {
        super("bulkload.database.pooling is transaction, but pgJDBC's prepareThreshold is " + prepareThreshold
                + ": statements prepared on one backend would be missing on the next.");
        this.action = "Remove prepareThreshold from spring.datasource.url (the service sets it to 0 behind a "
                + "transaction pooler), or set it to 0.";
    }

    String action() {
        return this.action;
    }

    private static String describe(Pooling configured, Pooling found) {
        if (found == Pooling.TRANSACTION) {
            return "bulkload.database.pooling is " + configured.name().toLowerCase(Locale.ROOT)
                    + ", but consecutive transactions of one database connection reach different PostgreSQL "
                    + "backends: a pooler in transaction mode is in between (PgBouncer's pool_mode=transaction).";
        }
        return "bulkload.database.pooling is " + configured.name().toLowerCase(Locale.ROOT)
                + ", but each database connection keeps its PostgreSQL backend between transactions: a direct "
                + "connection or a pooler in session mode.";
    }
}
