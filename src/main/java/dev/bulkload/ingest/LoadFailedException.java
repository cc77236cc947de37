package dev.bulkload.ingest;

import java.util.UUID;

import org.springframework.http.ProblemDetail;

import dev.bulkload.create.CreateParameterException;
import dev.bulkload.row.PayloadException;

/**
 * A load that stopped: the cause says why (malformed payload, limit, rejected row, database down);
 * the progress fields say what had been committed, which is nothing for an atomic load.
 */
public class LoadFailedException extends RuntimeException {

    private final String table;

    private final long rowsCommitted;

    private final Long committedThroughRecord;

    private final UUID loadId;

    /** The problem the registry recorded for this load, answered as it is; null when none was built yet. */
    private ProblemDetail problem;

    LoadFailedException(RuntimeException cause, UUID loadId, String table, long rowsCommitted,
            Long committedThroughRecord) {
        super(cause.getMessage(), cause);
        this.loadId = loadId;
        this.table = table;
        this.rowsCommitted = rowsCommitted;
        this.committedThroughRecord = committedThroughRecord;
    }

    /** The load's id in the registry, null when it failed before it had one. */
    public UUID loadId() {
        return this.loadId;
    }

    public ProblemDetail problem() {
        return this.problem;
    }

    void problem(ProblemDetail problem) {
        this.problem = problem;
    }

    public String table() {
        return this.table;
    }

    public long rowsCommitted() {
        return this.rowsCommitted;
    }

    public Long committedThroughRecord() {
        return this.committedThroughRecord;
    }

    /**
     * Whether the failure is about the request itself (a malformed or too large payload, a row the database refused
     * with onError=abort, too many rejects) or a cancel: the answer a retry with the same Idempotency-Key gets
     * again. One of the network, the service or the database (client-disconnected, body-too-slow, 503s, 500s) is
     * not, so a retry runs (and a non-atomic load resumes).
     */
    boolean isFinal() {
        Throwable cause = getCause();
        return cause instanceof PayloadException || cause instanceof TooManyRejectsException
                || cause instanceof LoadCancelledException || cause instanceof CreateParameterException;
    }
}
