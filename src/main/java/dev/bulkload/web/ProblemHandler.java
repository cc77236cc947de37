package dev.bulkload.web;

import java.io.UncheckedIOException;
import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.bulkload.catalog.TableNotFoundException;
import dev.bulkload.ingest.InvalidLoadRequestException;
import dev.bulkload.ingest.LoadCapacityException;
import dev.bulkload.ingest.LoadFailedException;
import dev.bulkload.ingest.TooManyRejectsException;
import dev.bulkload.ingest.UnsupportedPayloadException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.RowRejectedException;

/**
 * Maps every failure to an RFC 9457 problem with a stable type and, where known, the table, record,
 * line and column. Never a stack trace, never SQL text.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger logger = LoggerFactory.getLogger(ProblemHandler.class);

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tableNotFound(TableNotFoundException ex) {
        ProblemDetail problem = problem(ProblemType.TABLE_NOT_FOUND, ex.getMessage());
        problem.setProperty("table", ex.table());
        return respond(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidParameter(InvalidLoadRequestException ex) {
        ProblemDetail problem = problem(ProblemType.INVALID_PARAMETER, ex.getMessage());
        problem.setProperty("parameter", ex.parameter());
        return respond(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> busy(LoadCapacityException ex) {
        ProblemDetail problem = problem(ProblemType.SERVICE_BUSY, ex.getMessage());
        return ResponseEntity.status(problem.getStatus())
            .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
            .body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unsupportedPayload(UnsupportedPayloadException ex) {
        return respond(problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, ex.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> loadFailed(LoadFailedException ex) {
        ProblemDetail problem = describe(ex.getCause());
        problem.setProperty("table", ex.table());
        problem.setProperty("rowsCommitted", ex.rowsCommitted());
        if (ex.committedThroughRecord() != null) {
            problem.setProperty("committedThroughRecord", ex.committedThroughRecord());
        }
        return respond(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> payload(PayloadException ex) {
        return respond(describe(ex));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> dataAccess(DataAccessException ex) {
        return respond(describe(ex));
    }

    /** Gives Spring MVC's own problems (415, 405, 400 on binding, ...) a stable type too. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || ABOUT_BLANK.equals(problem.getType()))) {
            problem.setType(switch (statusCode.value()) {
                case 413 -> ProblemType.PAYLOAD_TOO_LARGE.type();
                case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE.type();
                default -> URI.create("urn:bulkload:problem:http-" + statusCode.value());
            });
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private ProblemDetail describe(Throwable cause) {
        if (cause instanceof PayloadException payload) {
            ProblemType type = ProblemType.MALFORMED_PAYLOAD;
            if (payload instanceof PayloadTooLargeException) {
                type = ProblemType.PAYLOAD_TOO_LARGE;
            }
            else if (payload instanceof RowRejectedException) {
                type = ProblemType.ROW_REJECTED;
            }
            ProblemDetail problem = problem(type, payload.getMessage());
            setIfPresent(problem, "record", payload.record());
            setIfPresent(problem, "line", payload.line());
            setIfPresent(problem, "column", payload.column());
            if (payload instanceof RowRejectedException rejected) {
                setIfPresent(problem, "sqlState", rejected.sqlState());
                setIfPresent(problem, "constraint", rejected.constraint());
            }
            return problem;
        }
        if (cause instanceof TooManyRejectsException tooMany) {
            ProblemDetail problem = problem(ProblemType.TOO_MANY_REJECTS, tooMany.getMessage());
            problem.setProperty("rejects", tooMany.rejects());
            return problem;
        }
        if (cause instanceof UncheckedIOException) {
            return problem(ProblemType.MALFORMED_PAYLOAD, "The request body could not be read completely");
        }
        if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException) {
            logger.warn("Database unavailable: {}", cause.getMessage());
            return problem(ProblemType.DATABASE_UNAVAILABLE, "The database is unavailable; retry later");
        }
        logger.error("Load failed unexpectedly", cause);
        return problem(ProblemType.INTERNAL_ERROR, "The load failed on the server; see the service log");
    }

    private static ProblemDetail problem(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.type());
        problem.setTitle(type.title());
        return problem;
    }

    private static void setIfPresent(ProblemDetail problem, String name, Object value) {
        if (value != null) {
            problem.setProperty(name, value);
        }
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatus())
            .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.getStatus() == 503) {
            response.header(HttpHeaders.RETRY_AFTER, "5");
        }
        return response.body(problem);
    }
}
