package dev.bulkload.row;

/**
 * A chunk kept failing on deadlocks or serialization failures (SQLSTATE 40P01, 40001) with
 * concurrent transactions after every retry; retrying the load later can succeed.
 */
public class ChunkConflictException extends RuntimeException {

    private final String sqlState;

    private final int attempts;

    public ChunkConflictException(String sqlState, int attempts) {
        super("The rows conflicted with concurrent loads (SQLSTATE " + sqlState + ") in " + attempts
                + " attempts; retry later");
        this.sqlState = sqlState;
        this.attempts = attempts;
    }

    public String sqlState() {
        return this.sqlState;
    }

    public int attempts() {
        return this.attempts;
    }
}
