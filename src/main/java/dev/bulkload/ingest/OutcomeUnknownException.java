package dev.bulkload.ingest;

/**
 * The connection died during a COMMIT and the database stayed unreachable, so whether the load's last transaction
 * committed cannot be told yet; {@code GET /api/v1/loads/{id}} tells once the database is back.
 */
public class OutcomeUnknownException extends RuntimeException {

    OutcomeUnknownException(Throwable cause) {
        super("The connection to the database was lost during COMMIT and the database stayed unreachable; "
                + "whether the last transaction committed is not known yet: ask GET /api/v1/loads/{id} later", cause);
    }
}
