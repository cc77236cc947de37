package dev.bulkload.web;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.bulkload.body.BodyTooSlowException;
import dev.bulkload.body.ClientDisconnectedException;
import dev.bulkload.body.PartAfterFileException;
import dev.bulkload.body.PayloadType;
import dev.bulkload.body.UnsupportedPayloadException;
import dev.bulkload.catalog.TableChangedException;
import dev.bulkload.catalog.TableNotFoundException;
import dev.bulkload.create.CreateParameterException;
import dev.bulkload.create.CreateRefusedException;
import dev.bulkload.idempotency.IdempotencyKeyInUseException;
import dev.bulkload.idempotency.IdempotencyKeyMismatchException;
import dev.bulkload.idempotency.IdempotencyKeyUnattributedException;
import dev.bulkload.idempotency.IdempotentReplayException;
import dev.bulkload.idempotency.InvalidIdempotencyKeyException;
import dev.bulkload.ingest.AnsweredAtShutdownException;
import dev.bulkload.ingest.CallerShareException;
import dev.bulkload.ingest.ForbiddenRoleException;
import dev.bulkload.options.InvalidLoadRequestException;
import dev.bulkload.ingest.LoadCancelledException;
import dev.bulkload.ingest.LoadCapacityException;
import dev.bulkload.ingest.LoadFailedException;
import dev.bulkload.ingest.LoadProblems;
import dev.bulkload.ingest.LoadStoppedException;
import dev.bulkload.ingest.OutcomeUnknownException;
import dev.bulkload.ingest.TooManyRejectsException;
import dev.bulkload.registry.InvalidLoadQueryException;
import dev.bulkload.registry.LoadNotFoundException;
import dev.bulkload.registry.LoadNotRunningException;
import dev.bulkload.row.AccountingException;
import dev.bulkload.row.ChunkConflictException;
import dev.bulkload.row.DatabaseTimeLimitException;
import dev.bulkload.row.PayloadException;
import dev.bulkload.row.PayloadTooLargeException;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.security.ForbiddenTableException;
import dev.bulkload.security.RoleClaimException;
import dev.bulkload.tracing.TraceIds;

/**
 * Maps every failure to an RFC 9457 problem with a stable type and, where known, the table, record,
 * line and column. Never a stack trace, never SQL text.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler implements LoadProblems {

    private static final Logger logger = LoggerFactory.getLogger(ProblemHandler.class);

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    /** Seconds a client should wait before retrying a load the database could not take. */
    private static final String DEFAULT_RETRY_AFTER = "5";

    /** The request attribute holding the problem a handler answered, for the error page that may follow. */
    static final String ANSWERED_PROBLEM = ProblemHandler.class.getName() + ".problem";

    /** The header that marks a replayed answer (draft-ietf-httpapi-idempotency-key-header). */
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    static final String INTERNAL_DETAIL = "The request failed on the server; see the service log";

    private final TraceIds traces;

    ProblemHandler(TraceIds traces) {
        this.traces = traces;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tableNotFound(TableNotFoundException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.TABLE_NOT_FOUND.problem(ex.getMessage());
        problem.setProperty("table", ex.table());
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> forbiddenTable(ForbiddenTableException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.FORBIDDEN_TABLE.problem(ex.getMessage());
        problem.setProperty("table", ex.table());
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> forbiddenRoleClaim(RoleClaimException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.FORBIDDEN_ROLE_CLAIM.problem(ex.getMessage());
        problem.setProperty("claim", ex.claim());
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> forbiddenRole(ForbiddenRoleException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.FORBIDDEN_ROLE.problem(ex.getMessage());
        problem.setProperty("table", ex.table());
        problem.setProperty("role", ex.role());
        if (!ex.missingPrivileges().isEmpty()) {
            problem.setProperty("missingPrivileges", ex.missingPrivileges());
        }
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidCreateParameter(CreateParameterException ex, HttpServletRequest request) {
        return invalidParameter(ex.parameter(), ex.getMessage(), request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidParameter(InvalidLoadRequestException ex, HttpServletRequest request) {
        return invalidParameter(ex.parameter(), ex.getMessage(), request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownParameter(StrictQueryParameters.UnknownParameterException ex,
            HttpServletRequest request) {
        return invalidParameter(ex.parameter(), ex.getMessage(), request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidIdempotencyKey(InvalidIdempotencyKeyException ex, HttpServletRequest request) {
        return invalidParameter(ex.parameter(), ex.getMessage(), request);
    }

    private ResponseEntity<ProblemDetail> invalidParameter(String parameter, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.INVALID_PARAMETER.problem(detail);
        problem.setProperty("parameter", parameter);
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> busy(LoadCapacityException ex, HttpServletRequest request) {
        return respond(ProblemType.SERVICE_BUSY.problem(ex.getMessage()), request,
                Long.toString(ex.retryAfterSeconds()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> callerShare(CallerShareException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.TOO_MANY_LOADS.problem(ex.getMessage());
        problem.setProperty("maxLoadsPerCaller", ex.maxLoadsPerCaller());
        return respond(problem, request, Long.toString(ex.retryAfterSeconds()));
    }

    /** The shutdown wrote this load's answer ({@link ShutdownAnswers}): nothing more goes out. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> answeredAtShutdown(AnsweredAtShutdownException ex) {
        return null;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> bodyTooSlow(BodyTooSlowException ex, HttpServletRequest request) {
        return respond(describe(ex), request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> clientDisconnected(ClientDisconnectedException ex, HttpServletRequest request) {
        return respond(describe(ex), request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unsupportedPayload(UnsupportedPayloadException ex, HttpServletRequest request) {
        return respond(unsupported(ex), request);
    }

    private static ProblemDetail unsupported(UnsupportedPayloadException ex) {
        ProblemDetail problem = ProblemType.UNSUPPORTED_MEDIA_TYPE.problem(ex.getMessage());
        problem.setProperty("accepted", UnsupportedPayloadException.ACCEPTED);
        setIfPresent(problem, "supportedCharsets", ex.supportedCharsets());
        return problem;
    }

    /** A Content-Type no endpoint consumes: the problem lists the ones that would be accepted. */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (ex.getContentType() == null && header != null && !header.isBlank()) {
            // Spring could not parse it: a charset it does not know is the usual reason, and that one is told
            try {
                PayloadType.charsetOf(header);
            }
            catch (UnsupportedPayloadException charset) {
                return handleExceptionInternal(ex, unsupported(charset), headers, status, request);
            }
        }
        List<String> accepted = ex.getSupportedMediaTypes().stream().map((type) -> type.toString()).toList();
        String sent = (ex.getContentType() != null) ? "'" + ex.getContentType() + "'"
                : (header != null && !header.isBlank()) ? "'" + header + "'" : "none";
        ProblemDetail problem = ProblemType.UNSUPPORTED_MEDIA_TYPE.problem("Content-Type " + sent
                + " is not accepted here; send one of " + String.join(", ", accepted));
        problem.setProperty("accepted", accepted);
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    /**
     * A query parameter that does not convert to its type ({@code atomic=yes}, {@code batchSize=many}): an
     * invalid-parameter problem naming it as the client typed it, in the service's words, not the binder's.
     */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        FieldError error = ex.getBindingResult().getFieldError();
        if (error == null) {
            return super.handleMethodArgumentNotValid(ex, headers, status, request);
        }
        String parameter = "nullString".equals(error.getField()) ? "null" : error.getField();
        ProblemDetail problem = ProblemType.INVALID_PARAMETER.problem(parameter + " " + expected(error));
        problem.setProperty("parameter", parameter);
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    private static String expected(FieldError error) {
        Class<?> type = error.contains(TypeMismatchException.class)
                ? error.unwrap(TypeMismatchException.class).getRequiredType() : null;
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be a whole number";
        }
        return "has a value the service cannot use";
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> loadFailed(LoadFailedException ex, HttpServletRequest request) {
        ProblemDetail problem = (ex.problem() != null) ? ex.problem() : problem(ex);
        return respond(problem, request);
    }

    /** The problem a failed load is answered with, and its registry row records. */
    @Override
    public ProblemDetail problem(LoadFailedException ex) {
        ProblemDetail problem = describe(ex.getCause());
        if (ex.loadId() != null) {
            problem.setProperty("loadId", ex.loadId());
        }
        problem.setProperty("table", ex.table());
        problem.setProperty("rowsCommitted", ex.rowsCommitted());
        if (ex.committedThroughRecord() != null) {
            problem.setProperty("committedThroughRecord", ex.committedThroughRecord());
        }
        // the load's trace, kept with the problem in its registry row and in a replay of its answer
        setIfPresent(problem, ProblemTraceIds.PROPERTY, this.traces.current());
        return problem;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> idempotencyKeyInUse(IdempotencyKeyInUseException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.IDEMPOTENCY_KEY_IN_USE.problem(ex.getMessage());
        if (ex.loadId() != null) {
            problem.setProperty("loadId", ex.loadId());
        }
        return respond(problem, request, "1");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> idempotencyKeyUnattributed(IdempotencyKeyUnattributedException ex,
            HttpServletRequest request) {
        ProblemDetail problem = ProblemType.IDEMPOTENCY_KEY_UNATTRIBUTED.problem(ex.getMessage());
        problem.setProperty("loadId", ex.loadId());
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> idempotencyKeyReused(IdempotencyKeyMismatchException ex,
            HttpServletRequest request) {
        return respond(describe(ex), request);
    }

    /**
     * A retry of a load that ended with an answer: that answer again, as it was (the report with its Location, or
     * the problem), marked {@code Idempotent-Replayed: true}.
     */
    @ExceptionHandler
    ResponseEntity<Object> replay(IdempotentReplayException ex, HttpServletRequest request) {
        boolean report = ex.status() == 200;
        ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.status())
            .contentType(report ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_PROBLEM_JSON)
            .header(IDEMPOTENT_REPLAYED, "true");
        if (report) {
            response.header(HttpHeaders.LOCATION, "/api/v1/loads/" + ex.loadId());
        }
        if (UnreadBody.remainsIn(request)) {
            response.header(HttpHeaders.CONNECTION, "close");
        }
        return response.body(ex.body());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> loadNotFound(LoadNotFoundException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.LOAD_NOT_FOUND.problem(ex.getMessage());
        problem.setProperty("loadId", ex.id());
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> loadNotRunning(LoadNotRunningException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.LOAD_NOT_RUNNING.problem(ex.getMessage());
        problem.setProperty("loadId", ex.id());
        problem.setProperty("loadStatus", ex.status());
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidLoadQuery(InvalidLoadQueryException ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.INVALID_PARAMETER.problem(ex.getMessage());
        problem.setProperty("parameter", ex.parameter());
        return respond(problem, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> payload(PayloadException ex, HttpServletRequest request) {
        return respond(describe(ex), request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> accounting(AccountingException ex, HttpServletRequest request) {
        return respond(describe(ex), request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> conflict(ChunkConflictException ex, HttpServletRequest request) {
        return respond(describe(ex), request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> dataAccess(DataAccessException ex, HttpServletRequest request) {
        return respond(describe(ex), request);
    }

    /**
     * An {@link Error} (out of memory, stack overflow, a failed assertion) that escaped a handler.
     * DispatcherServlet hands it over as the cause of a {@code ServletException}, and exception handlers
     * are matched against causes too. The client learns only that the server failed; the log gets the
     * stack trace.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> error(Error error, HttpServletRequest request) {
        logger.error("{} {} failed with an error", request.getMethod(), request.getRequestURI(), error);
        return respond(ProblemType.INTERNAL_ERROR.problem(INTERNAL_DETAIL), request);
    }

    /**
     * Gives Spring MVC's own problems (415, 405, 400 on binding, ...) a stable type too, and closes the
     * connection when they leave a body unread (a 415 for a large upload).
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || ABOUT_BLANK.equals(problem.getType()))) {
            problem.setType(ProblemType.typeForStatus(statusCode.value()));
            // one spelling per type: ours, not the status line's reason phrase
            ProblemType.forStatus(statusCode.value()).ifPresent((type) -> problem.setTitle(type.title()));
        }
        if (request instanceof ServletWebRequest servlet && UnreadBody.remainsIn(servlet.getRequest())) {
            HttpHeaders closing = new HttpHeaders();
            closing.putAll(headers);
            closing.set(HttpHeaders.CONNECTION, "close");
            headers = closing;
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private ProblemDetail describe(Throwable cause) {
        if (cause instanceof PartAfterFileException after && after.formField()) {
            // an option sent where it could not apply: a parameter problem, like an unknown one
            ProblemDetail problem = ProblemType.INVALID_PARAMETER.problem(after.getMessage());
            problem.setProperty("parameter", after.part());
            return problem;
        }
        if (cause instanceof PayloadException payload) {
            ProblemType type = ProblemType.MALFORMED_PAYLOAD;
            if (payload instanceof PayloadTooLargeException) {
                type = ProblemType.PAYLOAD_TOO_LARGE;
            }
            else if (payload instanceof RowRejectedException) {
                type = ProblemType.ROW_REJECTED;
            }
            ProblemDetail problem = type.problem(payload.getMessage());
            setIfPresent(problem, "record", payload.record());
            setIfPresent(problem, "line", payload.line());
            setIfPresent(problem, "column", payload.column());
            if (payload instanceof RowRejectedException rejected) {
                setIfPresent(problem, "sqlState", rejected.sqlState());
                setIfPresent(problem, "constraint", rejected.constraint());
            }
            return problem;
        }
        if (cause instanceof CreateParameterException parameter) {
            ProblemDetail problem = ProblemType.INVALID_PARAMETER.problem(parameter.getMessage());
            problem.setProperty("parameter", parameter.parameter());
            return problem;
        }
        if (cause instanceof InvalidLoadRequestException parameter) {
            ProblemDetail problem = ProblemType.INVALID_PARAMETER.problem(parameter.getMessage());
            problem.setProperty("parameter", parameter.parameter());
            return problem;
        }
        if (cause instanceof CreateRefusedException refused) {
            ProblemType type = switch (refused.reason()) {
                case FORBIDDEN -> ProblemType.FORBIDDEN_TABLE;
                case NO_SCHEMA -> ProblemType.TABLE_NOT_FOUND;
                case EXISTS -> ProblemType.TABLE_EXISTS;
            };
            ProblemDetail problem = type.problem(refused.getMessage());
            problem.setProperty("table", refused.table());
            problem.setProperty("sqlState", refused.sqlState());
            return problem;
        }
        if (cause instanceof TooManyRejectsException tooMany) {
            ProblemDetail problem = ProblemType.TOO_MANY_REJECTS.problem(tooMany.getMessage());
            problem.setProperty("rejects", tooMany.rejects());
            return problem;
        }
        if (cause instanceof AccountingException accounting) {
            // the database's counts disagree with the rows sent: a bug here or in a trigger, not the client's fault
            logger.error("Rows not accounted for: {}", accounting.getMessage());
            ProblemDetail problem = ProblemType.ACCOUNTING_ERROR.problem(accounting.getMessage());
            problem.setProperty("record", accounting.firstRecord());
            problem.setProperty("rowsReceived", accounting.received());
            problem.setProperty("rowsAccounted", accounting.accounted());
            return problem;
        }
        if (cause instanceof ChunkConflictException conflict) {
            logger.warn("Load gave up on conflicts: {}", conflict.getMessage());
            ProblemDetail problem = ProblemType.DATABASE_CONFLICT.problem(conflict.getMessage());
            problem.setProperty("sqlState", conflict.sqlState());
            return problem;
        }
        if (cause instanceof IdempotencyKeyMismatchException reused) {
            return ProblemType.IDEMPOTENCY_KEY_REUSED.problem(reused.getMessage());
        }
        if (cause instanceof ClientDisconnectedException disconnected) {
            return ProblemType.CLIENT_DISCONNECTED.problem(disconnected.getMessage());
        }
        if (cause instanceof LoadCancelledException cancelled) {
            return ProblemType.LOAD_CANCELLED.problem(cancelled.getMessage());
        }
        if (cause instanceof LoadStoppedException stopped) {
            return ProblemType.SHUTTING_DOWN.problem(stopped.getMessage());
        }
        if (cause instanceof OutcomeUnknownException unknown) {
            logger.warn("Load outcome unknown: {}", unknown.getMessage());
            return ProblemType.OUTCOME_UNKNOWN.problem(unknown.getMessage());
        }
        if (cause instanceof BodyTooSlowException slow) {
            return ProblemType.BODY_TOO_SLOW.problem(slow.getMessage());
        }
        if (cause instanceof DatabaseTimeLimitException limit) {
            logger.warn("Load ran out of time in the database: {}", limit.getMessage());
            ProblemDetail problem = (limit.limit() == DatabaseTimeLimitException.Limit.LOCK_TIMEOUT)
                    ? ProblemType.TABLE_LOCKED.problem(limit.getMessage() + "; retry later")
                    : ProblemType.STATEMENT_TIMEOUT.problem(limit.getMessage());
            problem.setProperty("sqlState", limit.sqlState());
            return problem;
        }
        if (cause instanceof TableChangedException changed) {
            ProblemDetail problem = ProblemType.TABLE_CHANGED.problem(changed.getMessage());
            problem.setProperty("sqlState", changed.sqlState());
            return problem;
        }
        if (cause instanceof UncheckedIOException) {
            return ProblemType.MALFORMED_PAYLOAD.problem("The request body could not be read completely");
        }
        if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException) {
            logger.warn("Database unavailable: {}", cause.getMessage());
            return ProblemType.DATABASE_UNAVAILABLE.problem("The database is unavailable; retry later");
        }
        logger.error("Load failed unexpectedly", cause);
        return ProblemType.INTERNAL_ERROR.problem("The load failed on the server; see the service log");
    }

    private static void setIfPresent(ProblemDetail problem, String name, Object value) {
        if (value != null) {
            problem.setProperty(name, value);
        }
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        return respond(problem, request, (problem.getStatus() == 503) ? DEFAULT_RETRY_AFTER : null);
    }

    /**
     * The problem as a response; when the request body was not read to the end (a load that failed on its
     * first rows), also {@code Connection: close}, so that Tomcat sends the answer now and stops reading
     * instead of swallowing the rest of an upload the client is still sending.
     */
    static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request,
            String retryAfter) {
        // Tomcat turns a request whose body failed to read (a client that disconnected) into its own error page
        // afterwards: that page answers this problem rather than a bare status
        request.setAttribute(ANSWERED_PROBLEM, problem);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatus())
            .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        if (UnreadBody.remainsIn(request)) {
            response.header(HttpHeaders.CONNECTION, "close");
        }
        return response.body(problem);
    }
}
