package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabaseInitializer;

/** With {@code bulkload.security.docs-public=false} the API docs and Swagger UI need credentials too; probes do not. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.docs-public=false", "bulkload.security.api-keys[0].name=docs-reader",
                "bulkload.security.api-keys[0].sha256=" + PrivateDocsTests.KEY_SHA256 })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class PrivateDocsTests {

    /** {@code printf %s docs-key | sha256sum}. */
    static final String KEY_SHA256 = "9d02e5d99684e90be75a6bf6f4e1fe154fb6da8a2ee9a5ececdbb5598483b721";

    @LocalServerPort
    int port;

    @Test
    void docsNeedCredentialsProbesDoNot() {
        LoadClient client = new LoadClient(this.port);
        assertThat(client.get("/v3/api-docs").status()).isEqualTo(401);
        assertThat(client.get("/swagger-ui/index.html").status()).isEqualTo(401);
        assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(client.get("/v3/api-docs", "X-API-Key", "docs-key").status()).isEqualTo(200);
    }
}
