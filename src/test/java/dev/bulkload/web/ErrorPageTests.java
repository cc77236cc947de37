package dev.bulkload.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.RawHttp;
import tools.jackson.databind.JsonNode;

/** What the service answers outside its handlers: the {@code /error} page and requests Tomcat refuses. */
@BulkLoaderTest
class ErrorPageTests {

    @LocalServerPort
    int port;

    @Test
    void errorPageAskedForDirectlyIsANotFoundProblemEvenForABrowser() {
        RawHttp.Response response = exchange("GET /error HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                + "Connection: close\r\n\r\n");
        JsonNode problem = assertProblem(response, 404, "urn:bulkload:problem:http-404");
        assertThat(problem.get("title").asString()).isEqualTo("Not Found");
    }

    @Test
    void pathWithAnEncodedNulIsABadRequestProblem() {
        RawHttp.Response response = exchange("POST /api/v1/tables/users%00/rows HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: text/csv\r\nContent-Length: 11\r\nConnection: close\r\n\r\nname,email\n");
        assertProblem(response, 400, "urn:bulkload:problem:http-400");
    }

    @Test
    void malformedContentLengthIsABadRequestProblem() {
        RawHttp.Response response = exchange("POST /api/v1/tables/users/rows HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: text/csv\r\nContent-Length: 12x\r\nConnection: close\r\n\r\nname,email\n");
        assertProblem(response, 400, "urn:bulkload:problem:http-400");
    }

    private RawHttp.Response exchange(String request) {
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(10))) {
            http.send(request);
            return http.readUntilClosed();
        }
    }

    private static JsonNode assertProblem(RawHttp.Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).isEqualTo(type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("<html", "Exception", "timestamp");
        return problem;
    }
}
