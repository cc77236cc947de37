package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import dev.bulkload.row.ChunkLedger;

/** Sends rows of a chunk's ledger into a relation in one statement: by COPY, or by a JDBC batch. */
public interface RowLoader {

    /**
     * Loads {@code rows[from .. to)} (ledger indexes) into the relation; on failure the statement is
     * cancelled before the exception is thrown.
     * @return rows written
     */
    long load(Connection connection, Relation target, ChunkLedger ledger, int[] rows, int from, int to)
            throws SQLException;
}
