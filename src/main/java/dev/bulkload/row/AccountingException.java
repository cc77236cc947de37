package dev.bulkload.row;

/**
 * A chunk's counts do not add up: the rows it received differ from those inserted, updated,
 * skipped and rejected. The chunk is rolled back and the load fails loudly rather than report a
 * number that is not the database's truth.
 */
public class AccountingException extends RuntimeException {

    private final long firstRecord;

    private final long received;

    private final long accounted;

    public AccountingException(long firstRecord, long received, long accounted) {
        super("The chunk starting at record " + firstRecord + " received " + received + " rows but the database "
                + "accounted for " + accounted + "; it was rolled back");
        this.firstRecord = firstRecord;
        this.received = received;
        this.accounted = accounted;
    }

    public long firstRecord() {
        return this.firstRecord;
    }

    public long received() {
        return this.received;
    }

    public long accounted() {
        return this.accounted;
    }
}
