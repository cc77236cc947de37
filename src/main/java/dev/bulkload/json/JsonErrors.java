package dev.bulkload.json;

import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;

import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.PayloadTooLargeException;

/** Turns Jackson's read errors into payload exceptions that name the record and line. */
final class JsonErrors {

    /** Jackson's note of which of its settings a limit comes from: {@code , from `StreamReadConstraints.…()`}. */
    private static final Pattern LIMIT_SOURCE = Pattern.compile(",? from `[^`]*`");

    /**
     * A location Jackson writes into its message, alone or in a parenthesis ({@code (start marker at [Source: …;
     * line: 1, column: 2])}): dropped, never parsed — the place comes from the reader's own record and line, or
     * from {@link JacksonException#getLocation()}.
     */
    private static final Pattern SOURCE_LOCATION = Pattern.compile(
            "\\s*(?:\\([^()\\[]*\\[Source: [^\\]]*\\]\\)|\\[Source: [^\\]]*\\])");

    /** Anything else Jackson quotes in backticks is one of its own names. */
    private static final Pattern LIBRARY_NAME = Pattern.compile(" ?\\(?`[A-Za-z]+(\\.[A-Za-z_]+)+(\\(\\))?`\\)?");

    private JsonErrors() {
    }

    /** Jackson's message in the service's own words: no class, setting or method names of the library. */
    static String describe(JacksonException ex) {
        String message = ex.getOriginalMessage();
        if (message == null) {
            return "unreadable JSON";
        }
        message = LIMIT_SOURCE.matcher(message).replaceAll("");
        message = SOURCE_LOCATION.matcher(message).replaceAll("");
        return LIBRARY_NAME.matcher(message).replaceAll("");
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
        String message = "Invalid JSON: " + describe(ex);
        if (ex instanceof StreamConstraintsException) {
            return new PayloadTooLargeException("JSON exceeds a limit: " + describe(ex), record, where,
                    null);
        }
        return new MalformedPayloadException(message, record, where, null);
    }
}
