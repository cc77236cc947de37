package dev.bulkload.merge;

import java.sql.Connection;
import java.sql.SQLException;

import dev.bulkload.jdbc.Statements;

/**
 * Runs a statement that joins staged rows to the table by a key with hash and merge joins off, so PostgreSQL probes
 * the key's index once per staged row, and without JIT compilation. When the table's statistics lag behind a bulk
 * load the planner otherwise hashes the chunk and scans the whole table for every chunk (a load's cost then grows
 * with the square of its size), and its cost estimates, inflated by those statistics, have each chunk's statement
 * JIT-compiled, which took longer than running it (measured: 0.6-0.8 s of a 2 s upsert chunk). Neither changes what
 * a statement answers, only how it runs. The settings do not outlive the statement: called in a transaction, the
 * settings are {@code SET LOCAL}, reset after it; a statement that fails takes its transaction or savepoint down,
 * and with it the settings.
 */
final class IndexJoins {

    private static final String OFF = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
            + "SET LOCAL jit = off";

    private static final String RESET = "RESET enable_hashjoin; RESET enable_mergejoin; RESET jit";

    private IndexJoins() {
    }

    static void run(Connection connection, Statement statement) throws SQLException {
        Statements.execute(connection, OFF);
        statement.run();
        Statements.execute(connection, RESET);
    }

    /** A statement on the load's connection. */
    @FunctionalInterface
    interface Statement {

        void run() throws SQLException;
    }
}
