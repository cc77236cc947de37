package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.bulkload.row.Reject;

/**
 * Finds the rows at fault in a failed write, the one way every writer does it: the write is tried on
 * a range of rows under a savepoint; a range refused for a row's fault (decided by SQLSTATE,
 * {@link SqlFailure#isRowError}) is rolled back to its savepoint and split in halves, until each
 * refused row stands alone. The good rows stay written. Only a failing range pays for the split.
 * Any other error (a deadlock, a lost connection) is thrown as it is, for the caller to roll back.
 */
public final class RejectIsolator {

    private final Connection connection;

    private final Attempt attempt;

    private final Refusal refusal;

    private final boolean firstOnly;

    private final List<Reject> rejects = new ArrayList<>();

    /**
     * @param attempt writes positions [from, to) of the rows; it cancels its own statement on failure
     * @param refusal describes a row that fails alone, after its savepoint was rolled back
     * @param firstOnly stop at the first refused row (the load aborts on it)
     */
    public RejectIsolator(Connection connection, Attempt attempt, Refusal refusal, boolean firstOnly) {
        this.connection = connection;
        this.attempt = attempt;
        this.refusal = refusal;
        this.firstOnly = firstOnly;
    }

    /** Writes positions [from, to); returns what the successful parts wrote. */
    public long write(int from, int to) throws SQLException {
        if (from >= to || (this.firstOnly && !this.rejects.isEmpty())) {
            return 0;
        }
        long[] written = { 0 };
        SQLException refused = Savepoints.attempt(this.connection, () -> written[0] = this.attempt.write(from, to));
        if (refused == null) {
            return written[0];
        }
        if (to - from == 1) {
            this.rejects.add(this.refusal.reject(from, refused));
            return 0;
        }
        int middle = (from + to) >>> 1;
        long left = write(from, middle);
        return left + write(middle, to);
    }

    /** The rows refused so far, in position order. */
    public List<Reject> rejects() {
        return this.rejects;
    }

    /** A write of a range of rows. */
    @FunctionalInterface
    public interface Attempt {

        long write(int from, int to) throws SQLException;
    }

    /** The reject of a row that failed on its own. */
    @FunctionalInterface
    public interface Refusal {

        Reject reject(int position, SQLException error) throws SQLException;
    }
}
