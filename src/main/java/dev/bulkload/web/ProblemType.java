package dev.bulkload.web;

import java.net.URI;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The stable problem types the API answers with; the URI and title never change for a type. */
public enum ProblemType {

    MALFORMED_PAYLOAD("malformed-payload", "Malformed payload", HttpStatus.BAD_REQUEST),
    INVALID_PARAMETER("invalid-parameter", "Invalid parameter", HttpStatus.BAD_REQUEST),
    UNAUTHORIZED("unauthorized", "Unauthorized", HttpStatus.UNAUTHORIZED),
    FORBIDDEN_TABLE("forbidden-table", "Table not granted", HttpStatus.FORBIDDEN),
    FORBIDDEN_ROLE("forbidden-role", "Database role not usable", HttpStatus.FORBIDDEN),
    FORBIDDEN_ROLE_CLAIM("forbidden-role-claim", "Role claim missing or malformed", HttpStatus.FORBIDDEN),
    TABLE_NOT_FOUND("table-not-found", "Table not found", HttpStatus.NOT_FOUND),
    TABLE_CHANGED("table-changed", "Table definition changed", HttpStatus.CONFLICT),
    TABLE_EXISTS("table-exists", "Table created meanwhile", HttpStatus.CONFLICT),
    LOAD_NOT_FOUND("load-not-found", "Load not found", HttpStatus.NOT_FOUND),
    LOAD_CANCELLED("load-cancelled", "Load cancelled", HttpStatus.CONFLICT),
    LOAD_NOT_RUNNING("load-not-running", "Load not running", HttpStatus.CONFLICT),
    IDEMPOTENCY_KEY_IN_USE("idempotency-key-in-use", "Idempotency-Key in use", HttpStatus.CONFLICT),
    IDEMPOTENCY_KEY_UNATTRIBUTED("idempotency-key-unattributed", "Idempotency-Key of an unattributed load",
            HttpStatus.CONFLICT),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency-Key reused for another request",
            HttpStatus.UNPROCESSABLE_CONTENT),
    CLIENT_DISCONNECTED("client-disconnected", "Client disconnected", HttpStatus.BAD_REQUEST),
    OUTCOME_UNKNOWN("outcome-unknown", "Outcome unknown", HttpStatus.SERVICE_UNAVAILABLE),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", HttpStatus.CONTENT_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    BODY_TOO_SLOW("body-too-slow", "Request body too slow", HttpStatus.REQUEST_TIMEOUT),
    ROW_REJECTED("row-rejected", "Row rejected by the database", HttpStatus.UNPROCESSABLE_CONTENT),
    TOO_MANY_REJECTS("too-many-rejects", "Too many rejected rows", HttpStatus.UNPROCESSABLE_CONTENT),
    SERVICE_BUSY("service-busy", "Too many concurrent loads", HttpStatus.SERVICE_UNAVAILABLE),
    SERVER_BUSY("server-busy", "Too many requests in progress", HttpStatus.SERVICE_UNAVAILABLE),
    TOO_MANY_LOADS("too-many-loads", "Too many loads from this caller", HttpStatus.TOO_MANY_REQUESTS),
    DATABASE_UNAVAILABLE("database-unavailable", "Database unavailable", HttpStatus.SERVICE_UNAVAILABLE),
    TABLE_LOCKED("table-locked", "Table locked", HttpStatus.SERVICE_UNAVAILABLE),
    STATEMENT_TIMEOUT("statement-timeout", "Statement timeout", HttpStatus.SERVICE_UNAVAILABLE),
    DATABASE_CONFLICT("database-conflict", "Conflict with concurrent loads", HttpStatus.SERVICE_UNAVAILABLE),
    SHUTTING_DOWN("shutting-down", "Service shutting down", HttpStatus.SERVICE_UNAVAILABLE),
    ACCOUNTING_ERROR("accounting-error", "Rows not accounted for", HttpStatus.INTERNAL_SERVER_ERROR),
    INTERNAL_ERROR("internal-error", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR);

    private final URI type;

    private final String title;

    private final HttpStatus status;

    ProblemType(String slug, String title, HttpStatus status) {
        this.type = URI.create("urn:bulkload:problem:" + slug);
        this.title = title;
        this.status = status;
    }

    /** A problem of this type; {@code detail} is in the service's own words. */
    public ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, detail);
        problem.setType(this.type);
        problem.setTitle(this.title);
        return problem;
    }

    /**
     * The type for a status that no handler of ours described (Spring MVC's own problems, the container's
     * errors): the matching type where one means the same thing whatever the cause, else one per status.
     */
    static URI typeForStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED.type;
            case 413 -> PAYLOAD_TOO_LARGE.type;
            case 415 -> UNSUPPORTED_MEDIA_TYPE.type;
            case 500 -> INTERNAL_ERROR.type;
            // Tomcat's own 408: a read of the request body timed out
            case 408 -> BODY_TOO_SLOW.type;
            default -> URI.create("urn:bulkload:problem:http-" + status);
        };
    }

    /** The type {@link #typeForStatus} gives a status, when it is one of ours (so is its title). */
    static Optional<ProblemType> forStatus(int status) {
        URI type = typeForStatus(status);
        for (ProblemType candidate : values()) {
            if (candidate.type.equals(type)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    URI type() {
        return this.type;
    }

    String title() {
        return this.title;
    }

    HttpStatus status() {
        return this.status;
    }
}
