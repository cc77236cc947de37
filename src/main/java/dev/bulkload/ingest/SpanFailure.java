package dev.bulkload.ingest;

/**
 * A failure as a load's span records it: in the service's own words (a problem's title, a SQLSTATE, a record
 * number), never a row's values from a server message, and without a stack trace, which the log has when one
 * is worth having.
 */
final class SpanFailure extends RuntimeException {

    SpanFailure(String message) {
        super(message, null, false, false);
    }
}
