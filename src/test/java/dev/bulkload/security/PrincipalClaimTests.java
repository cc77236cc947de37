package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabaseInitializer;
import dev.bulkload.TestTables;

/**
 * {@code bulkload.security.jwt.principal-claim}: the caller is named by the configured claim, which a token must
 * hold as a non-empty string (else 401), whether or not it has a {@code sub}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true", "bulkload.tables.include=public.*",
                "spring.security.oauth2.resourceserver.jwt.audiences=" + JwtFixture.AUDIENCE,
                "bulkload.security.jwt.principal-claim=client_id" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class PrincipalClaimTests {

    static final JwtFixture jwt = new JwtFixture();

    @DynamicPropertySource
    static void authentication(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", jwt::publicKeyLocation);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String users;

    @BeforeEach
    void table() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.users = this.tables.users();
    }

    @Test
    void theConfiguredClaimNamesTheCallerWithOrWithoutSub() {
        LoadClient.Response withoutSub = load(jwt.tokenWith(Map.of("client_id", "ingest-svc", "scope",
                "bulkload:load:public.*")));
        assertThat(withoutSub.status()).as(withoutSub.body()).isEqualTo(200);
        LoadClient.Response withSub = load(jwt.tokenWith(Map.of("client_id", "ingest-svc", "sub", "someone-else",
                "scope", "bulkload:load:public.*")));
        assertThat(withSub.status()).as(withSub.body()).isEqualTo(200);
        String[] reader = bearer(jwt.tokenWith(Map.of("client_id", "auditor", "scope", "bulkload:read")));
        assertThat(this.client.get("/api/v1/loads/" + withoutSub.text("id"), reader).text("principal"))
            .isEqualTo("jwt:ingest-svc");
        assertThat(this.client.get("/api/v1/loads/" + withSub.text("id"), reader).text("principal"))
            .isEqualTo("jwt:ingest-svc");
        assertThat(this.tables.count(this.users)).isEqualTo(2);
    }

    @Test
    void aTokenWithoutTheConfiguredClaimAsANonEmptyStringIsA401EvenWithSub() {
        for (Map<String, Object> claims : List.<Map<String, Object>>of(
                Map.of("sub", "alice", "scope", "bulkload:load:public.*"),
                Map.of("sub", "alice", "client_id", "", "scope", "bulkload:load:public.*"),
                Map.of("sub", "alice", "client_id", List.of("ingest-svc"), "scope", "bulkload:load:public.*"),
                Map.of("sub", "alice", "client_id", 7, "scope", "bulkload:load:public.*"))) {
            LoadClient.Response response = load(jwt.tokenWith(claims));
            assertThat(response.status()).as(claims + ": " + response.body()).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:unauthorized");
            assertThat(response.text("detail")).contains("client_id");
        }
        assertThat(this.tables.count(this.users)).isZero();
    }

    private LoadClient.Response load(String token) {
        return this.client.load("public." + this.users, "", "text/csv", "name,email\nAnn,ann-" + System.nanoTime()
                + "@example.com\n", bearer(token));
    }

    private static String[] bearer(String token) {
        return new String[] { "Authorization", "Bearer " + token };
    }
}
