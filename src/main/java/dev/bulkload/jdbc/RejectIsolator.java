package dev.bulkload.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;

import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.Reject;

/**
 * Finds the rows at fault in a failed write, the one way every writer does it: the write is tried on a range of
 * rows under a savepoint; a refused range is rolled back to its savepoint and split in halves, until each
 * refused row stands alone. The good rows stay written; only a failing range pays for the split. The load's
 * errors (a lost connection, a deadlock, a lock timeout) are thrown as they are, for the caller to roll back.
 * <p>
 * A row that fails alone is the row's fault when its SQLSTATE says so (22, 23, …), when one of its values is
 * refused by its column's type on its own, or when a row-level security policy refused it. Any other error (a
 * SQLSTATE such as 42703 or 42883 that also a changed table or a broken trigger answers) is the row's only when
 * it does not recur without that row, and the table is still what the load was built for:
 * <ul>
 * <li>the catalog, read again, describes the table differently: the error is thrown (a schema change);
 * <li>another row went through in the same isolation: the error does not recur without the row, it is the row's;
 * <li>two rows in a row failed alone with the same SQLSTATE and nothing went through: the rest of the range is
 * tried at once; when it fails with that SQLSTATE too the error recurs whatever the row, it is not the rows'
 * fault and is thrown; when it goes through, the two rows are at fault;
 * <li>a row that failed alone while no other row was tried (a range of one) is at fault.
 * </ul>
 */
public final class RejectIsolator {

    private final RowRefusals refusals;

    private final ChunkLedger ledger;

    private final IntUnaryOperator rowAt;

    private final Attempt attempt;

    private final boolean firstOnly;

    private final List<Reject> rejects = new ArrayList<>();

    /** Rows that failed alone for a reason neither their SQLSTATE nor their values put on them, not decided yet. */
    private final List<Unexplained> unexplained = new ArrayList<>();

    /** Whether a range with rows went through: the statement works without the rows that fail. */
    private boolean anyWritten;

    private Boolean tableChanged;

    /** The end of the range being isolated. */
    private int end;

    /** Positions from here on were written at once by the try of the rest of the range. */
    private int writtenFrom = Integer.MAX_VALUE;

    /**
     * @param ledger the chunk's ledger
     * @param rowAt the ledger index of a position
     * @param attempt writes positions [from, to) of the rows; it cancels its own statement on failure
     * @param firstOnly stop at the first refused row (the load aborts on it)
     */
    public RejectIsolator(RowRefusals refusals, ChunkLedger ledger, IntUnaryOperator rowAt, Attempt attempt,
            boolean firstOnly) {
        this.refusals = refusals;
        this.ledger = ledger;
        this.rowAt = rowAt;
        this.attempt = attempt;
        this.firstOnly = firstOnly;
    }

    /**
     * Writes positions [from, to); returns what the successful parts wrote.
     * @throws SQLException the load's error, or one that is no row's fault
     */
    public long write(int from, int to) throws SQLException {
        this.end = to;
        this.writtenFrom = Integer.MAX_VALUE;
        long written = split(from, to);
        for (Unexplained row : this.unexplained) {
            if (!this.anyWritten && sameStateCount(row.error()) > 1) {
                // every one of them failed alone with this SQLSTATE and no row went through: not the rows' fault
                throw row.error();
            }
            this.rejects.add(row.reject());
        }
        this.unexplained.clear();
        this.rejects.sort(Comparator.comparingLong(Reject::record));
        return written;
    }

    /** The rows refused so far, in record order. */
    public List<Reject> rejects() {
        return this.rejects;
    }

    private long split(int from, int to) throws SQLException {
        if (from >= to || from >= this.writtenFrom || (this.firstOnly && !this.rejects.isEmpty())) {
            return 0;
        }
        long[] written = { 0 };
        SQLException refused = Savepoints.attempt(this.refusals.connection(),
                () -> written[0] = this.attempt.write(from, to));
        if (refused == null) {
            this.anyWritten = true;
            return written[0];
        }
        if (to - from == 1) {
            return refusedAlone(from, refused);
        }
        int middle = (from + to) >>> 1;
        long left = split(from, middle);
        return left + split(middle, to);
    }

    /** A row failed alone; returns what a try of the rest of the range wrote, if one was made. */
    private long refusedAlone(int position, SQLException error) throws SQLException {
        RowRefusals.RowRefusal refusal = this.refusals.describe(this.ledger, this.rowAt.applyAsInt(position), error);
        if (refusal.atFault()) {
            this.rejects.add(refusal.reject());
            return 0;
        }
        if (tableChanged()) {
            throw error;
        }
        if (this.anyWritten) {
            this.rejects.add(refusal.reject());
            return 0;
        }
        this.unexplained.add(new Unexplained(refusal.reject(), error));
        if (sameStateCount(error) < 2) {
            return 0;
        }
        int next = position + 1;
        if (next >= this.end) {
            throw this.unexplained.get(0).error();
        }
        long[] written = { 0 };
        SQLException again = Savepoints.attempt(this.refusals.connection(),
                () -> written[0] = this.attempt.write(next, this.end));
        if (again == null) {
            this.anyWritten = true;
            this.writtenFrom = next;
            return written[0];
        }
        if (error.getSQLState().equals(again.getSQLState())) {
            throw this.unexplained.get(0).error();
        }
        // something else fails in the rest: narrow it down as usual
        return 0;
    }

    private boolean tableChanged() {
        if (this.tableChanged == null) {
            this.tableChanged = this.refusals.tableChanged();
        }
        return this.tableChanged;
    }

    private long sameStateCount(SQLException error) {
        return this.unexplained.stream().filter((row) -> row.error().getSQLState().equals(error.getSQLState())).count();
    }

    /** A write of a range of rows. */
    @FunctionalInterface
    public interface Attempt {

        long write(int from, int to) throws SQLException;
    }

    /** A row that failed alone with an error neither its SQLSTATE nor its values put on it. */
    private record Unexplained(Reject reject, SQLException error) {
    }
}
