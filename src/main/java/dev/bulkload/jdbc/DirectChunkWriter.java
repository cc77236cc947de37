package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ChunkResult;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSet;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.row.RetryableChunkException;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.WriteCounts;

/**
 * Inserts a chunk straight into the table, failing on the first bad row (mode insert, onError
 * abort): one statement per run of rows with the same columns, no savepoint while all goes well.
 * When the database refuses a row, the chunk is rolled back and the {@link RejectIsolator} finds
 * the first row at fault from the ledger, to name its record, line and column.
 */
public class DirectChunkWriter implements ChunkWriter {

    protected final Connection connection;

    private final RowRefusals refusals;

    private final LoadableTable table;

    private final ColumnSets sets;

    private final RowLoader loader;

    private final boolean overridingSystemValue;

    private int[] positions = new int[0];

    /**
     * @param refusals describes refused rows, on the load's connection
     * @param overridingSystemValue whether given values of {@code GENERATED ALWAYS} identity columns are stored
     */
    public DirectChunkWriter(RowRefusals refusals, LoadableTable table, ColumnSets sets, RowLoader loader,
            boolean overridingSystemValue) {
        this.refusals = refusals;
        this.connection = refusals.connection();
        this.table = table;
        this.sets = sets;
        this.loader = loader;
        this.overridingSystemValue = overridingSystemValue;
    }

    @Override
    public ChunkResult finish(ChunkLedger ledger, Runnable rollback) {
        try {
            return written(ledger, writeRest(ledger));
        }
        catch (SQLException ex) {
            return failed(ledger, ex, rollback);
        }
    }

    /**
     * The chunk's result from the rows the server says it inserted: a row sent without an error but not
     * inserted was dropped by a BEFORE trigger, and counts as skipped.
     */
    protected static ChunkResult written(ChunkLedger ledger, long inserted) {
        return new ChunkResult(new WriteCounts(inserted, 0, ledger.rows() - inserted), List.of());
    }

    /** Writes what has not been sent of the chunk; a streaming writer has sent part of it already. */
    protected long writeRest(ChunkLedger ledger) throws SQLException {
        return writeRuns(ledger, 0, ledger.rows());
    }

    /** The relation a row of this column set goes to: the table, with the set's columns. */
    protected Relation relation(ColumnSet set) {
        return new Relation(this.table.sqlName(), set.names(this.table).stream().map(SqlIdentifier::quote).toList(),
                null, this.overridingSystemValue);
    }

    /** The ledger rows [from, to), a statement per run of one column set. */
    protected long writeRuns(ChunkLedger ledger, int from, int to) throws SQLException {
        int[] rows = positions(ledger.rows());
        long written = 0;
        int start = from;
        while (start < to) {
            int set = ledger.set(start);
            int end = start + 1;
            while (end < to && ledger.set(end) == set) {
                end++;
            }
            written += this.loader.load(this.connection, relation(this.sets.get(set)), ledger, rows, start, end);
            start = end;
        }
        return written;
    }

    /**
     * Ends a failed chunk: a retryable conflict and the load's errors are thrown; an error that may be a
     * row's rolls the chunk back and writes it again through the isolator, which throws the first row at
     * fault, or the error when it is no row's. When no row fails alone (the cause went away), the chunk
     * stands as the isolator wrote it.
     */
    protected ChunkResult failed(ChunkLedger ledger, SQLException ex, Runnable rollback) {
        SQLException cause = SqlFailure.cause(ex);
        if (SqlFailure.isRetryable(cause)) {
            throw new RetryableChunkException(cause.getSQLState(), cause);
        }
        if (SqlFailure.fault(cause) == SqlFailure.Fault.LOAD) {
            throw SqlFailure.translate("write", cause);
        }
        rollback.run();
        RejectIsolator isolator = new RejectIsolator(this.refusals, ledger, (row) -> row,
                (from, to) -> writeRuns(ledger, from, to), true);
        long written;
        try {
            written = isolator.write(0, ledger.rows());
        }
        catch (SQLException again) {
            SQLException againCause = SqlFailure.cause(again);
            throw SqlFailure.isRetryable(againCause) ? new RetryableChunkException(againCause.getSQLState(), again)
                    : SqlFailure.translate("write", againCause);
        }
        if (!isolator.rejects().isEmpty()) {
            throw RowRejectedException.of(isolator.rejects().get(0));
        }
        if (earlierChunksLost()) {
            // the rollback took the transaction's earlier chunks with it: this chunk cannot stand alone
            throw SqlFailure.translate("write", cause);
        }
        return written(ledger, written);
    }

    /**
     * Whether the chunk's rollback took the chunks written before it in the transaction with it (a chunk written at
     * the top level of the transaction that created its table): the load cannot go on from there.
     */
    protected boolean earlierChunksLost() {
        return false;
    }

    private int[] positions(int rows) {
        if (this.positions.length < rows) {
            this.positions = new int[Math.max(rows, this.positions.length * 2)];
            for (int i = 0; i < this.positions.length; i++) {
                this.positions[i] = i;
            }
        }
        return this.positions;
    }
}
