package dev.bulkload.ingest;

/**
 * The shutdown answered this load already (503 shutting-down) while it ran: whatever it ended with
 * afterwards is for the log only, the response is written.
 */
public class AnsweredAtShutdownException extends RuntimeException {

    AnsweredAtShutdownException(Throwable cause) {
        super("The load was answered at shutdown", cause);
    }
}
