package dev.bulkload.body;

import java.util.List;

/** The payload's media type or encoding is not one the service reads. */
public class UnsupportedPayloadException extends RuntimeException {

    /** Every Content-Type a load accepts, as a 415 lists them. */
    public static final List<String> ACCEPTED = List.of("text/csv", "application/csv", "application/json",
            PayloadType.NDJSON, PayloadType.JSONL, PayloadType.JSON_LINES, "multipart/form-data");

    public UnsupportedPayloadException(String message) {
        super(message);
    }
}
