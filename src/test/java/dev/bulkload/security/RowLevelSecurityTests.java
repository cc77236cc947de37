package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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

/**
 * Database roles per caller over real HTTP: API keys mapped to roles, a table with row-level security and a
 * policy per role. Loads run as the key's role (SET LOCAL ROLE), through the batch path (PostgreSQL refuses COPY
 * FROM under row-level security), and rows a policy refuses are rejects with SQLSTATE 42501.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true", "bulkload.tables.include=public.*",
                "spring.security.oauth2.resourceserver.jwt.audiences=" + JwtFixture.AUDIENCE,
                "bulkload.security.jwt.role-claim=db_role" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class RowLevelSecurityTests {

    private static final String SUFFIX = Long.toString(System.nanoTime());

    static final String EU_ROLE = "rls_eu_" + SUFFIX;

    static final String US_ROLE = "rls_us_" + SUFFIX;

    static final String READ_ONLY_ROLE = "rls_ro_" + SUFFIX;

    static final String EU_KEY = "eu-key-" + SUFFIX;

    static final String US_KEY = "us-key-" + SUFFIX;

    static final String READ_ONLY_KEY = "ro-key-" + SUFFIX;

    static final String GHOST_KEY = "ghost-key-" + SUFFIX;

    private static final String CSV = "text/csv";

    static final JwtFixture jwt = new JwtFixture();

    @DynamicPropertySource
    static void authentication(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", jwt::publicKeyLocation);
        apiKey(registry, 0, "eu-feed", EU_KEY, EU_ROLE);
        apiKey(registry, 1, "us-feed", US_KEY, US_ROLE);
        apiKey(registry, 2, "read-only-feed", READ_ONLY_KEY, READ_ONLY_ROLE);
        apiKey(registry, 3, "ghost-feed", GHOST_KEY, "no_such_role_" + SUFFIX);
    }

    private static void apiKey(DynamicPropertyRegistry registry, int i, String name, String key, String role) {
        registry.add("bulkload.security.api-keys[" + i + "].name", () -> name);
        registry.add("bulkload.security.api-keys[" + i + "].sha256", () -> SecurityTests.sha256(key));
        registry.add("bulkload.security.api-keys[" + i + "].tables[0]", () -> "public.*");
        registry.add("bulkload.security.api-keys[" + i + "].role", () -> role);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void tableAndRoles() {
        this.client = new LoadClient(this.port);
        this.table = "public.rls_" + System.nanoTime();
        sql("create table " + this.table + " (id bigint primary key, region text not null)");
        sql("alter table " + this.table + " enable row level security");
        for (String role : new String[] { EU_ROLE, US_ROLE, READ_ONLY_ROLE }) {
            if (this.jdbc.sql("select count(*) from pg_roles where rolname = ?").param(role).query(Long.class).single() == 0) {
                sql("create role " + role + " nologin");
                sql("grant " + role + " to current_user");
            }
            sql("grant usage on schema public to " + role);
        }
        sql("create policy eu on " + this.table + " to " + EU_ROLE + " using (region = 'eu') with check (region = 'eu')");
        sql("create policy us on " + this.table + " to " + US_ROLE + " using (region = 'us') with check (region = 'us')");
        sql("grant select, insert on " + this.table + " to " + EU_ROLE + ", " + US_ROLE);
        sql("grant select on " + this.table + " to " + READ_ONLY_ROLE);
    }

    @AfterEach
    void dropTable() {
        sql("drop table if exists " + this.table);
    }

    @AfterAll
    static void dropRoles(@Autowired JdbcClient jdbc) {
        for (String role : new String[] { EU_ROLE, US_ROLE, READ_ONLY_ROLE }) {
            if (jdbc.sql("select count(*) from pg_roles where rolname = ?").param(role).query(Long.class).single() > 0) {
                jdbc.sql("drop owned by " + role).update();
                jdbc.sql("drop role " + role).update();
            }
        }
    }

    @Test
    void skipRejectsTheRowsThePolicyRefusesWith42501AndLoadsTheRestThroughBatch() {
        LoadClient.Response response = this.client.load(this.table, "onError=skip", CSV,
                "id,region\n1,eu\n2,us\n3,eu\n", "X-API-Key", EU_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.get("method").asString()).isEqualTo("batch");
        assertThat(report.get("rowsInserted").asLong()).isEqualTo(2);
        assertThat(report.get("rowsRejected").asLong()).isEqualTo(1);
        JsonNode reject = report.get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("sqlState").asString()).isEqualTo("42501");
        assertThat(regions()).isEqualTo("eu,eu");
    }

    @Test
    void theOtherRolesPolicyAppliesToItsOwnLoads() {
        LoadClient.Response response = this.client.load(this.table, "onError=skip", CSV,
                "id,region\n1,eu\n2,us\n", "X-API-Key", US_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("method")).isEqualTo("batch");
        assertThat(response.number("rowsInserted")).isEqualTo(1);
        assertThat(response.json().get("rejects").get(0).get("record").asLong()).isEqualTo(1);
        assertThat(response.json().get("rejects").get(0).get("sqlState").asString()).isEqualTo("42501");
        assertThat(regions()).isEqualTo("us");
    }

    @Test
    void aJwtRoleClaimRunsTheLoadAsThatRole() {
        String token = jwt.token("erin", "bulkload:load:public.*", "db_role", EU_ROLE);
        LoadClient.Response response = this.client.load(this.table, "onError=skip", CSV, "id,region\n1,us\n2,eu\n",
                "Authorization", "Bearer " + token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("method")).isEqualTo("batch");
        assertThat(response.json().get("rejects").get(0).get("sqlState").asString()).isEqualTo("42501");
        assertThat(regions()).isEqualTo("eu");
        // without the claim the caller is refused: never a load as the service's own user, exempt from the policies
        String plain = jwt.token("erin", "bulkload:load:public.*");
        LoadClient.Response unclaimed = this.client.load(this.table, "", CSV, "id,region\n3,us\n", "Authorization",
                "Bearer " + plain);
        assertThat(unclaimed.status()).as(unclaimed.body()).isEqualTo(403);
        assertThat(unclaimed.text("type")).isEqualTo("urn:bulkload:problem:forbidden-role-claim");
        assertThat(regions()).isEqualTo("eu");
    }

    @Test
    void abortAnswers422With42501AndLoadsNothing() {
        LoadClient.Response response = this.client.load(this.table, "", CSV, "id,region\n1,us\n2,eu\n",
                "X-API-Key", US_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:row-rejected");
        assertThat(response.text("sqlState")).isEqualTo("42501");
        assertThat(regions()).isEmpty();
    }

    @Test
    void copyIsAskedForButBatchIsUsed() {
        LoadClient.Response response = this.client.load(this.table, "method=copy", CSV, "id,region\n1,us\n",
                "X-API-Key", US_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("method")).isEqualTo("batch");
        assertThat(regions()).isEqualTo("us");
    }

    @Test
    void aRoleWithoutInsertIsA403ForbiddenRole() {
        LoadClient.Response response = this.client.load(this.table, "", CSV, "id,region\n1,eu\n",
                "X-API-Key", READ_ONLY_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:forbidden-role");
        assertThat(response.text("role")).isEqualTo(READ_ONLY_ROLE);
        assertThat(response.text("table")).isEqualTo(this.table);
        assertThat(regions()).isEmpty();
    }

    @Test
    void anUpsertNeedsUpdateOnTheTableAndIsRefusedUpFrontNamingIt() {
        sql("insert into " + this.table + " values (1, 'eu')");
        LoadClient.Response refused = this.client.load(this.table, "mode=upsert&key=id", CSV, "id,region\n1,eu\n2,eu\n",
                "X-API-Key", EU_KEY);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.text("type")).isEqualTo("urn:bulkload:problem:forbidden-role");
        assertThat(refused.text("detail")).contains("UPDATE").contains("mode=upsert");
        assertThat(refused.json().get("missingPrivileges").toString()).isEqualTo("[\"UPDATE\"]");
        assertThat(regions()).isEqualTo("eu");

        sql("grant update on " + this.table + " to " + EU_ROLE);
        LoadClient.Response loaded = this.client.load(this.table, "mode=upsert&key=id", CSV, "id,region\n1,eu\n2,eu\n",
                "X-API-Key", EU_KEY);
        assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
        assertThat(loaded.number("rowsInserted")).isEqualTo(1);
        assertThat(loaded.number("rowsUpdated")).isEqualTo(1);
        assertThat(regions()).isEqualTo("eu,eu");
    }

    @Test
    void anUpdateNeedsUpdateButNotInsert() {
        // the read-only role lacks both INSERT and UPDATE; an update needs only the second
        LoadClient.Response refused = this.client.load(this.table, "mode=update&key=id", CSV, "id,region\n1,eu\n",
                "X-API-Key", READ_ONLY_KEY);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.text("type")).isEqualTo("urn:bulkload:problem:forbidden-role");
        assertThat(refused.json().get("missingPrivileges").toString()).isEqualTo("[\"UPDATE\"]");
    }

    @Test
    void anInsertWithoutSelectNeedsItOnlyWhenRowsGoThroughTheStage() {
        sql("revoke select on " + this.table + " from " + US_ROLE);
        LoadClient.Response skip = this.client.load(this.table, "onError=skip", CSV, "id,region\n1,us\n",
                "X-API-Key", US_KEY);
        assertThat(skip.status()).as(skip.body()).isEqualTo(403);
        assertThat(skip.json().get("missingPrivileges").toString()).isEqualTo("[\"SELECT\"]");
        LoadClient.Response direct = this.client.load(this.table, "", CSV, "id,region\n1,us\n", "X-API-Key", US_KEY);
        assertThat(direct.status()).as(direct.body()).isEqualTo(200);
        assertThat(regions()).isEqualTo("us");
    }

    @Test
    void anUnknownRoleIsA403ForbiddenRole() {
        LoadClient.Response response = this.client.load(this.table, "", CSV, "id,region\n1,eu\n",
                "X-API-Key", GHOST_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:forbidden-role");
        assertThat(regions()).isEmpty();
    }

    @Test
    void theConnectionGoesBackAsTheServicesOwnUser() {
        assertThat(this.client.load(this.table, "", CSV, "id,region\n1,eu\n", "X-API-Key", EU_KEY).status())
            .isEqualTo(200);
        // the owner, exempt from the policies, sees the row: the role was local to the load's transaction
        assertThat(this.jdbc.sql("select current_user = session_user").query(Boolean.class).single()).isTrue();
        assertThat(regions()).isEqualTo("eu");
    }

    @Test
    void aRetryRefusedForItsRoleLeavesTheLoadItWouldResumeAsItWas() throws Exception {
        String key = java.util.UUID.randomUUID().toString();
        StringBuilder csv = new StringBuilder("id,region\n");
        for (int i = 1; i <= 3000; i++) {
            csv.append(i).append(",eu\n");
        }
        byte[] body = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String path = "/api/v1/tables/" + this.table + "/rows?atomic=false&batchSize=200";
        String id;
        try (dev.bulkload.RawHttp upload = new dev.bulkload.RawHttp(this.port, java.time.Duration.ofSeconds(60))) {
            upload.send("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nX-API-Key: "
                    + EU_KEY + "\r\nIdempotency-Key: " + key + "\r\nContent-Length: " + body.length + "\r\n\r\n");
            upload.send(java.util.Arrays.copyOf(body, body.length / 2 + 3));
            id = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                JsonNode loads = this.client.get("/api/v1/loads?status=running", "X-API-Key", EU_KEY).json()
                    .get("loads");
                for (JsonNode load : loads) {
                    if (load.get("table").asString().equals(this.table) && load.get("rowsCommitted").asLong() >= 200) {
                        return load.get("id").asString();
                    }
                }
                return null;
            }, java.util.Objects::nonNull);
        }
        JsonNode cut = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
            .until(() -> this.client.get("/api/v1/loads/" + id, "X-API-Key", EU_KEY).json(),
                    (load) -> !"running".equals(load.get("status").asString()));
        assertThat(cut.get("problem").get("type").asString()).isEqualTo("urn:bulkload:problem:client-disconnected");

        sql("revoke insert on " + this.table + " from " + EU_ROLE);
        LoadClient.Response refused = this.client.load(this.table, "atomic=false&batchSize=200", CSV, body,
                "X-API-Key", EU_KEY, "Idempotency-Key", key);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        JsonNode after = this.client.get("/api/v1/loads/" + id, "X-API-Key", EU_KEY).json();
        assertThat(after.get("status").asString()).isEqualTo("failed");
        assertThat(after.get("problem").get("type").asString()).isEqualTo("urn:bulkload:problem:client-disconnected");
        assertThat(after.get("attempt").asInt()).isEqualTo(1);
        assertThat(after.get("rowsCommitted").asLong()).isEqualTo(cut.get("rowsCommitted").asLong());

        sql("grant insert on " + this.table + " to " + EU_ROLE);
        LoadClient.Response resumed = this.client.load(this.table, "atomic=false&batchSize=200", CSV, body,
                "X-API-Key", EU_KEY, "Idempotency-Key", key);
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(this.jdbc.sql("select count(*) from " + this.table).query(Long.class).single()).isEqualTo(3000);
        assertThat(this.client.get("/api/v1/loads/" + id, "X-API-Key", EU_KEY).json().get("attempt").asInt())
            .isEqualTo(2);
    }

    private String regions() {
        return this.jdbc.sql("select coalesce(string_agg(region, ',' order by id), '') from " + this.table)
            .query(String.class)
            .single();
    }

    private void sql(String statement) {
        this.jdbc.sql(statement).update();
    }
}
