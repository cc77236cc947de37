package dev.bulkload.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The {@code /error} page as the container forwards to it: after a filter threw, or after a sendError. */
class ErrorProblemControllerTests {

    private final MockMvcTester mvc = MockMvcTester.of(new ErrorProblemController(new DefaultErrorAttributes()));

    @Test
    void errorThrownByAFilterIsAnInternalErrorProblem() {
        MvcTestResult result = forwarded(500, new StackOverflowError("deep in dev.bulkload.Secret"));
        assertThat(result).hasStatus(500).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:bulkload:problem:internal-error");
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Internal error");
        assertThat(result).bodyText().doesNotContain("Secret", "StackOverflow", "java.", "timestamp");
    }

    @Test
    void clientErrorSentByTheContainerKeepsItsStatus() {
        MvcTestResult result = forwarded(413, null);
        assertThat(result).hasStatus(413).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:bulkload:problem:payload-too-large");
        assertThat(forwarded(405, null)).bodyJson()
            .extractingPath("$.type")
            .isEqualTo("urn:bulkload:problem:http-405");
    }

    private MvcTestResult forwarded(int status, Throwable failure) {
        return this.mvc.get().uri("/error").with((request) -> {
            request.setDispatcherType(DispatcherType.ERROR);
            request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
            request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/api/v1/tables/users/rows");
            if (failure != null) {
                request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, failure);
            }
            return request;
        }).exchange();
    }
}
