package dev.bulkload.json;

import java.util.regex.Matcher;
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
     * Jackson's location in a message: {@code [Source: REDACTED (`StreamReadFeature…` disabled); line: 1, column: 2]}
     * or {@code …; byte offset: #UNKNOWN]}.
     */
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: [^;\\]]*;\\s*([^\\]]*)\\]");

    private static final Pattern LINE_AND_COLUMN = Pattern.compile("line: (\\d+), column: (\\d+)");

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
        message = SOURCE_LOCATION.matcher(message).replaceAll((found) -> {
            Matcher place = LINE_AND_COLUMN.matcher(found.group(1));
            return place.find() ? "line " + place.group(1) + ", column " + place.group(2) : "";
        });
        message = message.replace(" (start marker at )", "");
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
