package dev.bulkload.ingest;

/**
 * The service is shutting down and stopped the load before its next COMMIT: it rolls back what it has not
 * committed. The shutdown answers the client ({@code ShutdownAnswers}); this reaches no one else.
 */
public class LoadStoppedException extends RuntimeException {

    LoadStoppedException() {
        super("The service shut down before the load ended; what it had not committed was rolled back");
    }
}
