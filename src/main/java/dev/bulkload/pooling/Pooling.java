package dev.bulkload.pooling;

/** What sits between the service's connections and PostgreSQL's backends. */
public enum Pooling {

    /**
     * Each connection keeps one backend for its life: a direct connection, or a pooler in session mode. pgJDBC
     * prepares statements it runs often on the server.
     */
    SESSION,

    /**
     * Each transaction may run on another backend: a pooler in transaction mode (PgBouncer's
     * {@code pool_mode=transaction}, most managed poolers). pgJDBC prepares nothing on the server
     * ({@code prepareThreshold=0}), since a statement prepared on one backend is unknown to the next.
     */
    TRANSACTION
}
