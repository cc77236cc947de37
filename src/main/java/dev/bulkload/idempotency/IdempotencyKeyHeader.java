package dev.bulkload.idempotency;

/**
 * The {@code Idempotency-Key} request header (draft-ietf-httpapi-idempotency-key-header-07): a structured-field
 * string, {@code "..."} with {@code \"} and {@code \\} escapes, of printable ASCII. The bare text is accepted too,
 * as many clients send it. At most {@value #MAX_LENGTH} characters.
 */
public final class IdempotencyKeyHeader {

    public static final String NAME = "Idempotency-Key";

    static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {
    }

    /**
     * The key the header carries, or null when there is no header.
     * @throws InvalidIdempotencyKeyException when it is empty, too long or not a string
     */
    public static String parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        String key = (value.startsWith("\"")) ? unquote(value) : value;
        if (key.isEmpty()) {
            throw invalid("The Idempotency-Key header is empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw invalid("The Idempotency-Key is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw invalid("The Idempotency-Key may hold printable ASCII characters only");
            }
        }
        return key;
    }

    private static String unquote(String value) {
        StringBuilder key = new StringBuilder(value.length());
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                if (i + 1 >= value.length() || (value.charAt(i + 1) != '"' && value.charAt(i + 1) != '\\')) {
                    throw invalid("The Idempotency-Key is not a valid structured-field string (bad escape)");
                }
                key.append(value.charAt(++i));
            }
            else if (c == '"') {
                if (i != value.length() - 1) {
                    // parameters (";a=1") are not part of the key and are not expected
                    throw invalid("The Idempotency-Key is not a single structured-field string");
                }
                return key.toString();
            }
            else {
                key.append(c);
            }
        }
        throw invalid("The Idempotency-Key is not a valid structured-field string (no closing quote)");
    }

    private static InvalidIdempotencyKeyException invalid(String message) {
        return new InvalidIdempotencyKeyException(NAME, message);
    }
}
