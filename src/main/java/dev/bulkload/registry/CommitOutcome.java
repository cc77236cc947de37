package dev.bulkload.registry;

/**
 * What the registry says about a COMMIT whose answer was lost.
 * @param known whether the database could be asked (false: it stayed unreachable)
 * @param committed whether the transaction committed
 * @param rowsCommitted rows of the load that stay in the table, by the registry row
 */
public record CommitOutcome(boolean known, boolean committed, long rowsCommitted) {

    static CommitOutcome unknown() {
        return new CommitOutcome(false, false, 0);
    }
}
