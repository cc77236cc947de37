package dev.bulkload.options;

/** How rows reach PostgreSQL: {@code COPY FROM STDIN} or JDBC batches of INSERTs. */
public enum LoadMethod {

    COPY, BATCH;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
