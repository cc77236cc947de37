package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestDatabaseInitializer;
import dev.bulkload.TestTables;

/**
 * The service with security on, over real HTTP: JWTs signed in the test and API keys; who may load which
 * table; and the order of the answers: 401 without valid credentials, then 404 for a table that is not
 * loadable (the allow-list applies to everyone), then 403 for a loadable table the caller holds no grant for.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true", "bulkload.tables.include=public.*,sales.*",
                "spring.security.oauth2.resourceserver.jwt.audiences=" + JwtFixture.AUDIENCE,
                "bulkload.load.max-loads-per-caller=1" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@ExtendWith(OutputCaptureExtension.class)
class SecurityTests {

    static final JwtFixture jwt = new JwtFixture();

    static final String OLD_KEY = "old-key-4a1f0c";

    static final String NEW_KEY = "new-key-9e27bd";

    static final String SALES_KEY = "sales-key-77c3aa";

    private static final String CSV = "text/csv";

    @DynamicPropertySource
    static void authentication(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", jwt::publicKeyLocation);
        apiKey(registry, 0, "ingest-2025", OLD_KEY, "public.*");
        apiKey(registry, 1, "ingest-2026", NEW_KEY, "public.*");
        apiKey(registry, 2, "sales-feed", SALES_KEY, "sales.*");
    }

    private static void apiKey(DynamicPropertyRegistry registry, int i, String name, String key, String tables) {
        registry.add("bulkload.security.api-keys[" + i + "].name", () -> name);
        registry.add("bulkload.security.api-keys[" + i + "].sha256", () -> sha256(key));
        registry.add("bulkload.security.api-keys[" + i + "].tables[0]", () -> tables);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String users;

    String orders;

    @BeforeEach
    void tables() {
        this.client = new LoadClient(this.port);
        this.users = "public." + new TestTables(this.jdbc).users();
        this.jdbc.sql("create schema if not exists sales").update();
        this.orders = "sales.orders_" + System.nanoTime();
        this.jdbc.sql("create table " + this.orders + " (id bigint primary key, note text)").update();
    }

    @Test
    void noCredentialsIsA401ProblemThatNamesBothSchemes() {
        LoadClient.Response response = this.client.load(this.users, "", CSV, "name,email\nAnn,ann@example.com\n");
        assertUnauthorized(response);
        assertThat(response.headers().get("WWW-Authenticate")).anyMatch((c) -> c.startsWith("Bearer "))
            .anyMatch((c) -> c.startsWith("ApiKey ") && c.contains("X-API-Key"));
        assertThat(count(this.users)).isZero();
        assertUnauthorized(this.client.get("/api/v1/tables"));
    }

    @Test
    void refusalsByTheSecurityFiltersNameTheRequestsTrace() {
        String traceId = "7bf92f3577b34da6a3ce929d0e0e4739";
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
        LoadClient.Response noCredentials = this.client.load(this.users, "", CSV, "name,email\nAnn,ann@example.com\n",
                "traceparent", traceparent);
        assertUnauthorized(noCredentials);
        assertThat(noCredentials.text("traceId")).as(noCredentials.body()).isEqualTo(traceId);
        LoadClient.Response wrongKey = this.client.get("/api/v1/tables", "X-API-Key", "wrong", "traceparent",
                traceparent);
        assertUnauthorized(wrongKey);
        assertThat(wrongKey.text("traceId")).as(wrongKey.body()).isEqualTo(traceId);
        LoadClient.Response denied = this.client.post("/api/v1/tables/refresh", "Authorization",
                "Bearer " + jwt.token("dave", "profile"), "traceparent", traceparent);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.text("traceId")).as(denied.body()).isEqualTo(traceId);
        LoadClient.Response forbidden = load(this.users, "Authorization",
                "Bearer " + jwt.token("bob", "bulkload:load:sales.*"), "traceparent", traceparent);
        assertThat(forbidden.text("type")).isEqualTo("urn:bulkload:problem:forbidden-table");
        assertThat(forbidden.text("traceId")).as(forbidden.body()).isEqualTo(traceId);
    }

    @Test
    void aValidTokenLoadsAndTheLogNamesTheCaller(CapturedOutput output) {
        LoadClient.Response response = load(this.users, bearer(jwt.token("alice", "bulkload:load:public.*")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(count(this.users)).isEqualTo(1);
        assertThat(output.getOut()).contains("Loaded " + this.users + " for jwt:alice:");
    }

    @Test
    void badTokensAre401WithInvalidToken() {
        String scope = "bulkload:load:*.*";
        for (String token : new String[] { jwt.expired(scope), jwt.signedByAnotherKey(scope), jwt.unsigned(scope),
                jwt.forAudience("someone-else", scope), "not-a-jwt" }) {
            LoadClient.Response response = load(this.users, bearer(token));
            assertUnauthorized(response);
            assertThat(response.headers().get("WWW-Authenticate")).as(token)
                .anyMatch((c) -> c.startsWith("Bearer ") && c.contains("error=\"invalid_token\""));
        }
        assertThat(count(this.users)).isZero();
    }

    @Test
    void aTokenWithoutTheTablesScopeIsForbiddenAndDoesNotSeeTheTable() {
        String[] salesOnly = bearer(jwt.token("bob", "bulkload:load:sales.*"));
        LoadClient.Response response = load(this.users, salesOnly);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:forbidden-table");
        assertThat(response.text("table")).isEqualTo(this.users);
        assertThat(count(this.users)).isZero();

        String listed = this.client.get("/api/v1/tables", salesOnly).body();
        assertThat(listed).contains(this.orders.substring("sales.".length())).doesNotContain(bare(this.users));
        assertThat(this.client.get("/api/v1/tables/" + this.users, salesOnly).status()).isEqualTo(404);
        assertThat(this.client.get("/api/v1/tables/" + this.orders, salesOnly).status()).isEqualTo(200);
    }

    @Test
    void readScopeListsEveryAllowedTableButLoadsNothing() {
        String[] reader = bearer(jwt.token("carol", "bulkload:read"));
        assertThat(this.client.get("/api/v1/tables", reader).body()).contains(bare(this.users))
            .contains(bare(this.orders));
        assertThat(this.client.get("/api/v1/tables/" + this.users, reader).status()).isEqualTo(200);
        assertThat(load(this.users, reader).status()).isEqualTo(403);
    }

    @Test
    void refreshingTheTableDefinitionsNeedsALoadOrReadScope() {
        String refresh = "/api/v1/tables/refresh";
        assertUnauthorized(this.client.post(refresh));
        LoadClient.Response unscoped = this.client.post(refresh, bearer(jwt.token("dave", "profile")));
        assertThat(unscoped.status()).isEqualTo(403);
        assertThat(unscoped.contentType()).startsWith("application/problem+json");
        assertThat(this.client.post(refresh, bearer(jwt.token("carol", "bulkload:read"))).status()).isEqualTo(204);
        assertThat(this.client.post(refresh, "X-API-Key", SALES_KEY).status()).isEqualTo(204);
    }

    @Test
    void globScopesGrantWhatTheyMatch() {
        String[] publicOnly = bearer(jwt.token("dave", "openid bulkload:load:public.*"));
        assertThat(load(this.users, publicOnly).status()).isEqualTo(200);
        assertThat(this.client.load(this.orders, "", CSV, "id,note\n1,x\n", publicOnly).status()).isEqualTo(403);

        String[] everything = bearer(jwt.token("erin", "bulkload:load:*.*"));
        assertThat(this.client.load(this.orders, "", CSV, "id,note\n2,y\n", everything).status()).isEqualTo(200);
        String[] exact = bearer(jwt.token("frank", "bulkload:load:" + this.orders));
        assertThat(this.client.load(this.orders, "", CSV, "id,note\n3,z\n", exact).status()).isEqualTo(200);
        assertThat(load(this.users, exact).status()).isEqualTo(403);
    }

    @Test
    void apiKeysRotateAndGrantTheirTablesOnly(CapturedOutput output) {
        assertThat(this.client.load(this.users, "", CSV, "name,email\nAnn,ann@example.com\n", "X-API-Key", OLD_KEY)
            .status()).isEqualTo(200);
        assertThat(this.client.load(this.users, "", CSV, "name,email\nBob,bob@example.com\n", "X-API-Key", NEW_KEY)
            .status()).isEqualTo(200);
        assertThat(output.getOut()).contains("for key:ingest-2025:").contains("for key:ingest-2026:");
        assertThat(count(this.users)).isEqualTo(2);

        LoadClient.Response forbidden = this.client.load(this.users, "", CSV, "name,email\nCy,cy@example.com\n",
                "X-API-Key", SALES_KEY);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.text("type")).isEqualTo("urn:bulkload:problem:forbidden-table");
        assertThat(this.client.load(this.orders, "", CSV, "id,note\n1,x\n", "X-API-Key", SALES_KEY).status())
            .isEqualTo(200);

        LoadClient.Response wrong = this.client.load(this.users, "", CSV, "name,email\nDi,di@example.com\n",
                "X-API-Key", OLD_KEY + "x");
        assertUnauthorized(wrong);
        assertThat(count(this.users)).isEqualTo(2);
    }

    @Test
    void unauthenticatedThenNotLoadableThenForbidden() {
        this.jdbc.sql("create schema if not exists hidden").update();
        this.jdbc.sql("create table if not exists hidden.secrets (id int)").update();
        // no credentials: 401 whatever the table, so nothing about tables leaks to strangers
        assertUnauthorized(this.client.load("hidden.secrets", "", CSV, "id\n1\n"));
        assertUnauthorized(this.client.load("public.no_such_table", "", CSV, "id\n1\n"));
        // outside the allow-list: 404 even for a caller granted everything, and for one granted nothing there
        String[] everything = bearer(jwt.token("erin", "bulkload:load:*.*"));
        LoadClient.Response hidden = this.client.load("hidden.secrets", "", CSV, "id\n1\n", everything);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.text("type")).isEqualTo("urn:bulkload:problem:table-not-found");
        assertThat(this.client.load("hidden.secrets", "", CSV, "id\n1\n", "X-API-Key", SALES_KEY).status())
            .isEqualTo(404);
        assertThat(this.client.load("public.no_such_table", "", CSV, "id\n1\n", "X-API-Key", SALES_KEY).status())
            .isEqualTo(404);
        // a semicolon passes the firewall (table names may hold one) and names no table here
        assertThat(this.client.load(this.users + "; drop table x; --", "", CSV, "id\n1\n", everything).status())
            .isEqualTo(404);
        // loadable, not granted: 403
        assertThat(this.client.load(this.users, "", CSV, "name,email\nAnn,ann@example.com\n", "X-API-Key", SALES_KEY)
            .status()).isEqualTo(403);
    }

    @Test
    void aCrossSiteFormWithoutCredentialsWritesNothing() {
        String boundary = "----cross-site";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\nname,email\nEve,eve@example.com\n\r\n--" + boundary + "--\r\n";
        LoadClient.Response response = this.client.load(this.users, "", "multipart/form-data; boundary=" + boundary,
                form, "Origin", "https://elsewhere.example", "Cookie", "JSESSIONID=0123456789ABCDEF");
        assertUnauthorized(response);
        assertThat(count(this.users)).isZero();
    }

    @Test
    void probesAndDocsAreOpenMetricsAreNot() {
        assertThat(this.client.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(this.client.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(this.client.get("/actuator/info").status()).isEqualTo(200);
        assertThat(this.client.get("/livez").status()).isEqualTo(200);
        assertThat(this.client.get("/readyz").status()).isEqualTo(200);
        assertUnauthorized(this.client.get("/actuator/prometheus"));
        assertThat(this.client.get("/actuator/prometheus", "X-API-Key", SALES_KEY).status()).isEqualTo(200);
        // what a ServiceMonitor's authorization (type ApiKey) sends
        assertThat(this.client.get("/actuator/prometheus", "Authorization", "ApiKey " + SALES_KEY).status())
            .isEqualTo(200);
        assertUnauthorized(this.client.get("/actuator/prometheus", "Authorization", "ApiKey wrong"));

        LoadClient.Response docs = this.client.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/components/securitySchemes/bearer-jwt/scheme").asString()).isEqualTo("bearer");
        assertThat(docs.json().at("/components/securitySchemes/api-key/name").asString()).isEqualTo("X-API-Key");
        assertThat(docs.json().at("/paths/~1api~1v1~1tables~1{table}~1rows/post/security").toString())
            .contains("bearer-jwt").contains("api-key");
        assertThat(this.client.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void aCallerOverItsShareOfTheSlotsGets429WhileAnotherCallerStillLoads() {
        try (RawHttp slow = new RawHttp(this.port, Duration.ofSeconds(30))) {
            // a load by ingest-2025 whose body never ends: it holds that caller's one slot
            slow.send("POST /api/v1/tables/" + this.users + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nX-API-Key: " + OLD_KEY + "\r\nContent-Length: 1000000\r\n\r\n"
                    + "name,email\nSlow,slow@example.com\n");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                LoadClient.Response second = this.client.load(this.users, "", CSV,
                        "name,email\nAnn,ann-" + System.nanoTime() + "@example.com\n", "X-API-Key", OLD_KEY);
                assertThat(second.status()).as(second.body()).isEqualTo(429);
                assertThat(second.contentType()).startsWith("application/problem+json");
                assertThat(second.text("type")).isEqualTo("urn:bulkload:problem:too-many-loads");
                assertThat(second.header("Retry-After")).isNotBlank();
            });
            LoadClient.Response other = this.client.load(this.users, "", CSV, "name,email\nBob,bob@example.com\n",
                    "X-API-Key", NEW_KEY);
            assertThat(other.status()).as(other.body()).isEqualTo(200);
        }
        // the slow load ends with its connection; its caller may load again
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.client
            .load(this.users, "", CSV, "name,email\nCid,cid@example.com\n", "X-API-Key", OLD_KEY)
            .status()).isEqualTo(200));
    }

    @Test
    void aParallelLoadNeedingMoreSlotsThanTheCallersShareIsRefusedWith400AndWritesNothing() {
        LoadClient.Response response = this.client.load(this.users, "atomic=false&parallel=2", CSV,
                "name,email\nAnn,ann-parallel@example.com\n", "X-API-Key", OLD_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("parallel");
        assertThat(response.text("detail")).contains("max-loads-per-caller");
        assertThat(count(this.users)).isZero();
        // one writer is within the share
        assertThat(this.client.load(this.users, "atomic=false&parallel=1", CSV,
                "name,email\nAnn,ann-parallel@example.com\n", "X-API-Key", OLD_KEY).status()).isEqualTo(200);
    }

    @Test
    void loadsAreReadableWithTheirTablesGrantOrBulkloadReadAndCancellableOnlyWithTheGrant() {
        String users = load(this.users, "X-API-Key", OLD_KEY).text("id");
        LoadClient.Response sales = this.client.load(this.orders, "", CSV, "id,note\n1,first\n", "X-API-Key",
                SALES_KEY);
        assertThat(sales.status()).as(sales.body()).isEqualTo(200);
        String orders = sales.text("id");

        LoadClient.Response own = this.client.get("/api/v1/loads/" + users, "X-API-Key", NEW_KEY);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.text("principal")).isEqualTo("key:ingest-2025");
        LoadClient.Response other = this.client.get("/api/v1/loads/" + users, "X-API-Key", SALES_KEY);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.text("type")).isEqualTo("urn:bulkload:problem:load-not-found");
        String[] reader = bearer(jwt.token("auditor", "bulkload:read"));
        assertThat(this.client.get("/api/v1/loads/" + users, reader).status()).isEqualTo(200);
        assertThat(this.client.get("/api/v1/loads/" + orders, reader).status()).isEqualTo(200);
        assertUnauthorized(this.client.get("/api/v1/loads/" + users));

        LoadClient.Response listed = this.client.get("/api/v1/loads?limit=1000", "X-API-Key", SALES_KEY);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("loads")).isNotEmpty()
            .allSatisfy((load) -> assertThat(load.get("table").asString()).startsWith("sales."));
        LoadClient.Response all = this.client.get("/api/v1/loads?limit=1000", reader);
        assertThat(all.json().get("loads")).anySatisfy((load) -> assertThat(load.get("id").asString()).isEqualTo(users))
            .anySatisfy((load) -> assertThat(load.get("id").asString()).isEqualTo(orders));

        LoadClient.Response readOnly = this.client.delete("/api/v1/loads/" + users, reader);
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.text("type")).isEqualTo("urn:bulkload:problem:forbidden-table");
        LoadClient.Response granted = this.client.delete("/api/v1/loads/" + users, "X-API-Key", NEW_KEY);
        assertThat(granted.status()).as("a finished load").isEqualTo(409);
        assertThat(this.client.get("/api/v1/loads/" + users + "/rejects", "X-API-Key", SALES_KEY).status())
            .isEqualTo(404);
    }

    private LoadClient.Response load(String table, String... headers) {
        return this.client.load(table, "", CSV, "name,email\nAnn,ann@example.com\n", headers);
    }

    private static void assertUnauthorized(LoadClient.Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:unauthorized");
        assertThat(response.header("WWW-Authenticate")).isNotNull();
    }

    private long count(String table) {
        return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private static String bare(String qualified) {
        return "\"" + qualified.substring(qualified.indexOf('.') + 1) + "\"";
    }

    private static String[] bearer(String token) {
        return new String[] { "Authorization", "Bearer " + token };
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
