package dev.bulkload.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;

import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.PayloadTooLargeException;

/** Turns Jackson's read errors into payload exceptions that name the record and line. */
final class JsonErrors {

    private JsonErrors() {
    }

    /**
     * @param ex the Jackson failure
     * @param record the record being read, or null when between records
     * @param line the physical line, or null to take Jackson's own location
     */
    static PayloadException translate(JacksonException ex, Long record, Long line) {
        TokenStreamLocation location = ex.getLocation();
        Long where = (line != null) ? line
                : (location != null && location.getLineNr() > 0) ? Long.valueOf(location.getLineNr()) : null;
        String message = "Invalid JSON: " + ex.getOriginalMessage();
        if (ex instanceof StreamConstraintsException) {
            return new PayloadTooLargeException("JSON exceeds a limit: " + ex.getOriginalMessage(), record, where,
                    null);
        }
        return new MalformedPayloadException(message, record, where, null);
    }
}
