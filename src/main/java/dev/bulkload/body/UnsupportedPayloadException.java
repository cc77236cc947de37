package dev.bulkload.body;

import java.util.List;

/** The payload's media type, charset or encoding is not one the service reads. */
public class UnsupportedPayloadException extends RuntimeException {

    /** Every Content-Type a load accepts, as a 415 lists them. */
    public static final List<String> ACCEPTED = List.of("text/csv", "application/csv", "application/json",
            PayloadType.NDJSON, PayloadType.JSONL, PayloadType.JSON_LINES, "multipart/form-data");

    private final List<String> supportedCharsets;

    public UnsupportedPayloadException(String message) {
        this(message, null);
    }

    UnsupportedPayloadException(String message, List<String> supportedCharsets) {
        super(message);
        this.supportedCharsets = supportedCharsets;
    }

    /** For an unsupported charset, the names of the supported ones; else null. */
    public List<String> supportedCharsets() {
        return this.supportedCharsets;
    }
}
