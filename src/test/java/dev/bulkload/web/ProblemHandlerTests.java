package dev.bulkload.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.bulkload.ingest.LoadFailures;
import dev.bulkload.row.AccountingException;
import dev.bulkload.row.ChunkConflictException;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.tracing.TraceIds;

/** What {@link ProblemHandler} answers for failures no real load can be made to throw on demand. */
class ProblemHandlerTests {

    private final MockMvcTester mvc = MockMvcTester.of(List.of(new ThrowingController()),
            (builder) -> builder.setControllerAdvice(new ProblemHandler(new TraceIds(Tracer.NOOP))).build());

    @Test
    void assertionErrorIsAnInternalErrorProblemThatHidesItsMessage() {
        MvcTestResult result = this.mvc.get().uri("/assertion").exchange();
        assertThat(result).hasStatus(500).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:bulkload:problem:internal-error");
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Internal error");
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(500);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().isNotBlank();
        assertThat(result).bodyText().doesNotContain("invariant", "Secret", "Error",
                "dev.bulkload", "java.");
    }

    @Test
    void outOfMemoryAndStackOverflowAreInternalErrorProblems() {
        for (String path : List.of("/out-of-memory", "/stack-overflow")) {
            MvcTestResult result = this.mvc.get().uri(path).exchange();
            assertThat(result).hasStatus(500).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:bulkload:problem:internal-error");
            assertThat(result).bodyText().doesNotContain("heap", "Error", "java.");
        }
    }

    @Test
    void chunkWhoseCountsDoNotAddUpIsAnAccountingError() {
        MvcTestResult result = this.mvc.get().uri("/accounting").exchange();
        assertThat(result).hasStatus(500).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:bulkload:problem:accounting-error");
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Rows not accounted for");
        assertThat(result).bodyJson().extractingPath("$.record").isEqualTo(1001);
        assertThat(result).bodyJson().extractingPath("$.rowsReceived").isEqualTo(1000);
        assertThat(result).bodyJson().extractingPath("$.rowsAccounted").isEqualTo(999);
        assertThat(result).bodyJson().extractingPath("$.table").isEqualTo("public.users");
        assertThat(result).bodyJson().extractingPath("$.rowsCommitted").isEqualTo(0);
    }

    @Test
    void chunkThatKeepsConflictingIsARetryableDatabaseConflict() {
        for (String path : List.of("/conflict", "/conflict-unwrapped")) {
            MvcTestResult result = this.mvc.get().uri(path).exchange();
            assertThat(result).hasStatus(503).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result).hasHeader(HttpHeaders.RETRY_AFTER, "5");
            assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:bulkload:problem:database-conflict");
            assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Conflict with concurrent loads");
            assertThat(result).bodyJson().extractingPath("$.sqlState").isEqualTo("40P01");
        }
    }

    @Test
    void failureThatLeavesTheBodyUnreadClosesTheConnection() {
        MvcTestResult result = this.mvc.post().uri("/unread").contentType("text/csv").content("a,b\n1,2\n").exchange();
        assertThat(result).hasStatus(400).hasHeader(HttpHeaders.CONNECTION, "close");
    }

    @Test
    void failureAfterTheWholeBodyWasReadKeepsTheConnection() {
        MvcTestResult result = this.mvc.post().uri("/read").contentType("text/csv").content("a,b\n1,2\n").exchange();
        assertThat(result).hasStatus(400).doesNotContainHeader(HttpHeaders.CONNECTION);
        assertThat(this.mvc.get().uri("/conflict").exchange()).doesNotContainHeader(HttpHeaders.CONNECTION);
    }

    /** Throws what the real handlers could throw. */
    @RestController
    static class ThrowingController {

        @GetMapping("/assertion")
        void assertion() {
            throw new AssertionError("invariant broken in dev.bulkload.Secret");
        }

        @GetMapping("/out-of-memory")
        void outOfMemory() {
            throw new OutOfMemoryError("Java heap space");
        }

        @GetMapping("/stack-overflow")
        void stackOverflow() {
            throw new StackOverflowError();
        }

        @GetMapping("/accounting")
        void accounting() {
            throw LoadFailures.atomic("public.users", new AccountingException(1001, 1000, 999));
        }

        @GetMapping("/conflict")
        void conflict() {
            throw LoadFailures.atomic("public.users", new ChunkConflictException("40P01", 3));
        }

        @GetMapping("/conflict-unwrapped")
        void conflictUnwrapped() {
            throw new ChunkConflictException("40P01", 3);
        }

        @PostMapping("/unread")
        void unread() {
            throw new MalformedPayloadException("The header names no such column");
        }

        @PostMapping("/read")
        void read(InputStream body) throws IOException {
            body.readAllBytes();
            throw new MalformedPayloadException("The last record is broken");
        }
    }
}
