package dev.bulkload.session;

import java.sql.SQLException;
import java.sql.Savepoint;

import dev.bulkload.jdbc.SqlFailure;

/**
 * Where a chunk's work began, to roll it back to: a savepoint, or, for the first chunk of a
 * transaction, the transaction's start (which costs no statement).
 */
public final class ChunkBoundary {

    private final LoadSession session;

    private final Savepoint savepoint;

    ChunkBoundary(LoadSession session, Savepoint savepoint) {
        this.session = session;
        this.savepoint = savepoint;
    }

    /** Undoes the chunk's work; the chunk can then be written again from here. */
    public void rollback() {
        try {
            if (this.savepoint != null) {
                this.session.connection().rollback(this.savepoint);
            }
            else {
                this.session.rollbackAndBeginAgain();
            }
        }
        catch (SQLException ex) {
            this.session.markBroken();
            throw SqlFailure.translate("ROLLBACK TO SAVEPOINT", ex);
        }
    }

    /** The chunk's work stays; the savepoint is no longer needed. */
    public void release() {
        if (this.savepoint == null) {
            return;
        }
        try {
            this.session.connection().releaseSavepoint(this.savepoint);
        }
        catch (SQLException ex) {
            this.session.markBroken();
            throw SqlFailure.translate("RELEASE SAVEPOINT", ex);
        }
    }
}
