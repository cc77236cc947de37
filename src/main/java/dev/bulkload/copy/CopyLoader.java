package dev.bulkload.copy;

import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bulkload.jdbc.Relation;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.row.ChunkLedger;

/**
 * Loads ledger rows with one {@code COPY ... FROM STDIN}: contiguous rows go out straight from the
 * ledger's buffer, rows for a staging table get their record number put in front. On any failure,
 * an {@link Error} included, the COPY is cancelled, never just abandoned. One per load (it owns a
 * send buffer).
 */
final class CopyLoader implements RowLoader {

    private static final Logger logger = LoggerFactory.getLogger(CopyLoader.class);

    /** Bytes per CopyData message: large enough to keep the socket busy, small enough to bound memory. */
    static final int SEND_BYTES = 256 * 1024;

    private byte[] buffer = new byte[0];

    @Override
    public long load(Connection connection, Relation target, ChunkLedger ledger, int[] rows, int from, int to)
            throws SQLException {
        if (from >= to) {
            return 0;
        }
        CopyIn copy = start(connection, target);
        try {
            send(copy, ledger, rows, from, to, target.recordColumn() != null);
            return copy.endCopy();
        }
        catch (SQLException | RuntimeException | Error ex) {
            cancel(copy);
            throw ex;
        }
    }

    static CopyIn start(Connection connection, Relation target) throws SQLException {
        return start(connection, target, false);
    }

    /** @param freeze whether the rows are written frozen: only for a table created at the transaction's top level */
    static CopyIn start(Connection connection, Relation target, boolean freeze) throws SQLException {
        return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(CopyStatement.copyIn(target, freeze));
    }

    /** Sends rows[from .. to) of the ledger, with record numbers in front when asked. */
    void send(CopyIn copy, ChunkLedger ledger, int[] rows, int from, int to, boolean withRecord) throws SQLException {
        if (!withRecord && contiguous(rows, from, to)) {
            sendBytes(copy, ledger.data(), ledger.start(rows[from]), ledger.end(rows[to - 1]));
            return;
        }
        int size = 0;
        byte[] data = ledger.data();
        for (int i = from; i < to; i++) {
            int row = rows[i];
            int length = ledger.end(row) - ledger.start(row);
            int needed = length + (withRecord ? 21 : 0);
            if (size > 0 && size + needed > SEND_BYTES) {
                copy.writeToCopy(this.buffer, 0, size);
                size = 0;
            }
            ensure(size + needed);
            if (withRecord) {
                size = writeRecord(ledger.record(row), size);
                this.buffer[size++] = '\t';
            }
            System.arraycopy(data, ledger.start(row), this.buffer, size, length);
            size += length;
        }
        if (size > 0) {
            copy.writeToCopy(this.buffer, 0, size);
        }
    }

    static void sendBytes(CopyIn copy, byte[] data, int from, int to) throws SQLException {
        for (int offset = from; offset < to; offset += SEND_BYTES) {
            copy.writeToCopy(data, offset, Math.min(SEND_BYTES, to - offset));
        }
    }

    static void cancel(CopyIn copy) {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            }
            catch (SQLException ex) {
                logger.debug("Cancelling a COPY failed", ex);
            }
        }
    }

    private static boolean contiguous(int[] rows, int from, int to) {
        return rows[to - 1] - rows[from] == to - 1 - from;
    }

    private int writeRecord(long record, int at) {
        String digits = Long.toString(record);
        for (int i = 0; i < digits.length(); i++) {
            this.buffer[at++] = (byte) digits.charAt(i);
        }
        return at;
    }

    private void ensure(int size) {
        if (this.buffer.length < size) {
            this.buffer = java.util.Arrays.copyOf(this.buffer, Math.max(size, Math.min(SEND_BYTES, this.buffer.length * 2 + 4096)));
        }
    }
}
