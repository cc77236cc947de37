package dev.bulkload.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

import dev.bulkload.body.UnsupportedPayloadException;
import dev.bulkload.security.ChallengeDetail;

/**
 * Replaces Spring Boot's {@code /error} controller, which answers with its own JSON, so that what
 * reaches the container's error page (an exception thrown by a filter, a {@code sendError} from Tomcat)
 * is an RFC 9457 problem like every other failure.
 */
@RestController
@Hidden
public class ErrorProblemController implements ErrorController {

    private static final Logger logger = LoggerFactory.getLogger(ErrorProblemController.class);

    private final ErrorAttributes errorAttributes;

    ErrorProblemController(ErrorAttributes errorAttributes) {
        this.errorAttributes = errorAttributes;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            // asked for directly: there is no resource here, and nothing failed
            return ProblemHandler.respond(problem(HttpStatus.NOT_FOUND.value()), request, null);
        }
        Integer code = (Integer) request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = (code != null && code >= 400) ? code : HttpStatus.INTERNAL_SERVER_ERROR.value();
        Throwable failure = this.errorAttributes.getError(new ServletWebRequest(request));
        if (failure instanceof Error || (failure != null && status >= 500)) {
            logger.error("{} {} failed before reaching a handler", request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), failure);
        }
        if (request.getAttribute(ProblemHandler.ANSWERED_PROBLEM) instanceof ProblemDetail answered
                && answered.getStatus() == status) {
            // a handler answered, then the container made it an error (the request body failed to read): keep
            // what the handler said
            return ProblemHandler.respond(answered, request, null);
        }
        ProblemDetail problem = problem(status);
        String challenge = (status == HttpStatus.UNAUTHORIZED.value()) ? ChallengeDetail.of(request) : null;
        if (challenge != null) {
            problem.setDetail(challenge);
        }
        return ProblemHandler.respond(problem, request, null);
    }

    /** The problem for a status that reached the container: its own type, title and words. */
    public static ProblemDetail problem(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail(status));
        problem.setType(ProblemType.typeForStatus(status));
        problem.setTitle(ProblemType.forStatus(status).map(ProblemType::title)
            .orElse((known != null) ? known.getReasonPhrase() : "HTTP " + status));
        return problem;
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is not valid HTTP the service can read";
            case 401 -> "Credentials are missing or not valid: send Authorization: Bearer <JWT> or X-API-Key: <key>";
            case 404 -> "There is nothing at this path";
            case 405 -> "This path does not accept this method";
            case 408 -> "The request body did not arrive within the idle timeout";
            case 413 -> "The request is larger than the service accepts";
            case 415 -> "The Content-Type is not accepted; send one of " + String.join(", ",
                    UnsupportedPayloadException.ACCEPTED);
            case 503 -> "The service cannot take the request now; retry later";
            default -> (status >= 500) ? ProblemHandler.INTERNAL_DETAIL : "The request was refused";
        };
    }
}
