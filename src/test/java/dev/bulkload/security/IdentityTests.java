package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
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
import dev.bulkload.RawHttp;
import dev.bulkload.TestDatabaseInitializer;

/**
 * Who the caller is, failing closed, over real HTTP on PostgreSQL: with a role claim configured, a token whose
 * claim is not exactly one non-empty string is a 403 on every kind of load and writes nothing (it never loads as
 * the service's own user, whom the row-level security policy does not bind); a token without {@code sub} is a
 * 401; an API key and a token subject spelled alike are two callers; and {@code public.*} never reaches a table
 * of a schema literally named {@code public.x}, in the grants, the allow-list and the {@code {table}} path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true", "bulkload.tables.include=public.*,\"public.x\".open_*",
                "spring.security.oauth2.resourceserver.jwt.audiences=" + JwtFixture.AUDIENCE,
                "bulkload.security.jwt.role-claim=db_role", "bulkload.load.max-loads-per-caller=1" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class IdentityTests {

    private static final String SUFFIX = Long.toString(System.nanoTime());

    static final String TENANT_A = "tenant_a_" + SUFFIX;

    /** Named like the JWT subject "alice"; grants public.*, no role (loads as the service's user). */
    static final String ALICE_KEY = "alice-key-" + SUFFIX;

    /** Grants the tables of the schema named public.x. */
    static final String DOTTED_KEY = "dotted-key-" + SUFFIX;

    private static final String CSV = "text/csv";

    private static final String PROBLEM = "application/problem+json";

    static final JwtFixture jwt = new JwtFixture();

    @DynamicPropertySource
    static void authentication(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", jwt::publicKeyLocation);
        registry.add("bulkload.security.api-keys[0].name", () -> "alice");
        registry.add("bulkload.security.api-keys[0].sha256", () -> SecurityTests.sha256(ALICE_KEY));
        registry.add("bulkload.security.api-keys[0].tables[0]", () -> "public.*");
        registry.add("bulkload.security.api-keys[1].name", () -> "dotted");
        registry.add("bulkload.security.api-keys[1].sha256", () -> SecurityTests.sha256(DOTTED_KEY));
        registry.add("bulkload.security.api-keys[1].tables[0]", () -> "\"public.x\".*");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    com.zaxxer.hikari.HikariDataSource hikari;

    LoadClient client;

    /** Row-level security on: tenant A may hold only region 'a' rows; the service's user owns it, so is exempt. */
    String table;

    @BeforeEach
    void tableAndRole() {
        this.client = new LoadClient(this.port);
        this.table = "public.identity_" + System.nanoTime();
        sql("create table " + this.table + " (id bigint primary key, region text not null)");
        sql("alter table " + this.table + " enable row level security");
        if (this.jdbc.sql("select count(*) from pg_roles where rolname = ?").param(TENANT_A).query(Long.class)
            .single() == 0) {
            sql("create role " + TENANT_A + " nologin");
            sql("grant " + TENANT_A + " to current_user");
        }
        sql("grant usage on schema public to " + TENANT_A);
        sql("create policy a on " + this.table + " to " + TENANT_A
                + " using (region = 'a') with check (region = 'a')");
        sql("grant select, insert, update on " + this.table + " to " + TENANT_A);
    }

    @AfterEach
    void dropTable() {
        sql("drop table if exists " + this.table);
    }

    @AfterAll
    static void dropRole(@Autowired JdbcClient jdbc) {
        jdbc.sql("drop schema if exists \"public.x\" cascade").update();
        if (jdbc.sql("select count(*) from pg_roles where rolname = ?").param(TENANT_A).query(Long.class).single() > 0) {
            jdbc.sql("drop owned by " + TENANT_A).update();
            jdbc.sql("drop role " + TENANT_A).update();
        }
    }

    @Test
    void aGoodRoleClaimLoadsAsThatRoleAndThePolicyRefusesTheOtherRegion() {
        LoadClient.Response response = this.client.load(this.table, "onError=skip", CSV, "id,region\n1,a\n2,b\n",
                bearer(tenantToken("alice")));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(1);
        assertThat(response.json().get("rejects").get(0).get("sqlState").asString()).isEqualTo("42501");
        assertThat(regions()).isEqualTo("a");
    }

    @Test
    void everyBadShapeOfTheRoleClaimIsA403NamingTheClaimOnEveryKindOfLoadAndWritesNothing() {
        Map<String, String> shapes = new LinkedHashMap<>();
        shapes.put("missing", "");
        shapes.put("null", ",\"db_role\":null");
        shapes.put("empty", ",\"db_role\":\"\"");
        shapes.put("blank", ",\"db_role\":\"   \"");
        shapes.put("number", ",\"db_role\":42");
        shapes.put("boolean", ",\"db_role\":true");
        shapes.put("array of one", ",\"db_role\":[\"" + TENANT_A + "\"]");
        shapes.put("array of two", ",\"db_role\":[\"" + TENANT_A + "\",\"other\"]");
        shapes.put("empty array", ",\"db_role\":[]");
        shapes.put("object", ",\"db_role\":{\"name\":\"" + TENANT_A + "\"}");
        // the row tenant A's policy refuses: loaded as the service's own user, it would go in
        String csv = "id,region\n1,b\n";
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            String[] auth = bearer(jwt.tokenWithPayload("\"sub\":\"alice\",\"scope\":\"bulkload:load:public.*\""
                    + shape.getValue()));
            String what = shape.getKey();
            assertRoleClaimRefused(what + ", csv", this.client.load(this.table, "", CSV, csv, auth));
            assertRoleClaimRefused(what + ", method=copy", this.client.load(this.table, "method=copy", CSV, csv, auth));
            assertRoleClaimRefused(what + ", batch", this.client.load(this.table, "method=batch", CSV, csv, auth));
            assertRoleClaimRefused(what + ", json", this.client.load(this.table, "", "application/json",
                    "[{\"id\":1,\"region\":\"b\"}]", auth));
            assertRoleClaimRefused(what + ", ndjson upsert", this.client.load(this.table, "mode=upsert&key=id",
                    "application/x-ndjson", "{\"id\":1,\"region\":\"b\"}\n", auth));
            assertRoleClaimRefused(what + ", ignore", this.client.load(this.table, "mode=ignore", CSV, csv, auth));
            assertRoleClaimRefused(what + ", update", this.client.load(this.table, "mode=update&key=id", CSV, csv,
                    auth));
            assertRoleClaimRefused(what + ", skip", this.client.load(this.table, "onError=skip", CSV, csv, auth));
            assertRoleClaimRefused(what + ", non-atomic", this.client.load(this.table, "atomic=false&batchSize=1",
                    CSV, csv, auth));
            assertRoleClaimRefused(what + ", dry run", this.client.load(this.table, "dryRun=true", CSV, csv, auth));
            assertRoleClaimRefused(what + ", upload", this.client.upload(this.table, "", "rows.csv", CSV,
                    csv.getBytes(StandardCharsets.UTF_8), auth));
            assertRoleClaimRefused(what + ", keyed", this.client.load(this.table, "", CSV, csv,
                    with(auth, "Idempotency-Key", UUID.randomUUID().toString())));
        }
        assertThat(regions()).isEmpty();
        // refused before the load was registered: no load of the table is recorded
        assertThat(this.jdbc.sql("select count(*) from bulkload.loads where table_name = ?").param(this.table)
            .query(Long.class).single()).isZero();
    }

    @Test
    void aKeyedRetryWithABadRoleClaimGetsNeitherTheReplayNorALoad() {
        String key = UUID.randomUUID().toString();
        String csv = "id,region\n1,a\n";
        LoadClient.Response first = this.client.load(this.table, "", CSV, csv,
                with(bearer(tenantToken("alice")), "Idempotency-Key", key));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String[] unclaimed = bearer(jwt.token("alice", "bulkload:load:public.*"));
        LoadClient.Response retry = this.client.load(this.table, "", CSV, csv, with(unclaimed, "Idempotency-Key", key));
        assertRoleClaimRefused("a replay", retry);
        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(regions()).isEqualTo("a");
    }

    @Test
    void aTokenWithoutSubIsA401ThatNamesTheClaim() {
        for (String token : new String[] {
                jwt.tokenWithPayload("\"scope\":\"bulkload:load:public.*\",\"db_role\":\"" + TENANT_A + "\""),
                jwt.tokenWithPayload("\"sub\":\"\",\"scope\":\"bulkload:load:public.*\",\"db_role\":\"" + TENANT_A
                        + "\""),
                jwt.tokenWithPayload("\"sub\":\"  \",\"scope\":\"bulkload:load:public.*\",\"db_role\":\"" + TENANT_A
                        + "\"") }) {
            LoadClient.Response response = this.client.load(this.table, "", CSV, "id,region\n1,a\n", bearer(token));
            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(response.contentType()).startsWith(PROBLEM);
            assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:unauthorized");
            assertThat(response.text("detail")).contains("sub");
            assertThat(response.headers().get("WWW-Authenticate"))
                .anyMatch((c) -> c.startsWith("Bearer ") && c.contains("error=\"invalid_token\""));
            assertThat(this.client.get("/api/v1/tables", bearer(token)).status()).isEqualTo(401);
        }
        assertThat(regions()).isEmpty();
    }

    @Test
    void anApiKeyNamedLikeATokenSubjectDoesNotShareItsLoadShare() {
        String[] token = bearer(tenantToken("alice"));
        try (RawHttp slow = new RawHttp(this.port, Duration.ofSeconds(30))) {
            // the API key "alice" holds its one slot with a load whose body never ends
            slow.send("POST /api/v1/tables/" + this.table + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nX-API-Key: " + ALICE_KEY + "\r\nContent-Length: 1000000\r\n\r\n"
                    + "id,region\n100,b\n");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                LoadClient.Response second = this.client.load(this.table, "", CSV, "id,region\n101,b\n",
                        "X-API-Key", ALICE_KEY);
                assertThat(second.status()).as(second.body()).isEqualTo(429);
            });
            LoadClient.Response subject = this.client.load(this.table, "", CSV, "id,region\n1,a\n", token);
            assertThat(subject.status()).as(subject.body()).isEqualTo(200);
        }
        assertThat(regions()).isEqualTo("a");
    }

    @Test
    void anApiKeyNamedLikeATokenSubjectDoesNotShareItsIdempotencyKeys() {
        String key = UUID.randomUUID().toString();
        LoadClient.Response byKey = this.client.load(this.table, "", CSV, "id,region\n1,b\n", "X-API-Key", ALICE_KEY,
                "Idempotency-Key", key);
        assertThat(byKey.status()).as(byKey.body()).isEqualTo(200);
        // the same key from the subject "alice" (with another body, which under a shared key would be a 422
        // idempotency-key-reused): its own first load
        LoadClient.Response bySubject = this.client.load(this.table, "", CSV, "id,region\n2,a\n",
                with(bearer(tenantToken("alice")), "Idempotency-Key", key));
        assertThat(bySubject.status()).as(bySubject.body()).isEqualTo(200);
        assertThat(bySubject.header("Idempotent-Replayed")).isNull();
        assertThat(bySubject.text("id")).isNotEqualTo(byKey.text("id"));
        assertThat(regions()).isEqualTo("b,a");
        // each is replayed to its own caller only
        LoadClient.Response keyAgain = this.client.load(this.table, "", CSV, "id,region\n1,b\n", "X-API-Key",
                ALICE_KEY, "Idempotency-Key", key);
        assertThat(keyAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(keyAgain.text("id")).isEqualTo(byKey.text("id"));

        String[] reader = bearer(jwt.token("auditor", "bulkload:read"));
        assertThat(this.client.get("/api/v1/loads/" + byKey.text("id"), reader).text("principal")).isEqualTo("key:alice");
        assertThat(this.client.get("/api/v1/loads/" + bySubject.text("id"), reader).text("principal"))
            .isEqualTo("jwt:alice");
    }

    @Test
    void aKeyRecordedBeforeCallersWereNamedByKindIsNobodysAndRefusedWith409() {
        String key = UUID.randomUUID().toString();
        LoadClient.Response first = this.client.load(this.table, "", CSV, "id,region\n1,a\n", "X-API-Key", ALICE_KEY,
                "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        // what V3 made of a row written before: its caller could have been the key or the subject "alice"
        sql("update bulkload.loads set principal = 'legacy:alice' where id = '" + first.text("id") + "'");
        for (String[] auth : List.of(new String[] { "X-API-Key", ALICE_KEY }, bearer(tenantToken("alice")))) {
            LoadClient.Response retry = this.client.load(this.table, "", CSV, "id,region\n1,a\n",
                    with(auth, "Idempotency-Key", key));
            assertThat(retry.status()).as(retry.body()).isEqualTo(409);
            assertThat(retry.contentType()).startsWith(PROBLEM);
            assertThat(retry.text("type")).isEqualTo("urn:bulkload:problem:idempotency-key-unattributed");
            assertThat(retry.text("loadId")).isEqualTo(first.text("id"));
        }
        assertThat(regions()).isEqualTo("a");
        // another caller's name is not touched by it
        LoadClient.Response bob = this.client.load(this.table, "", CSV, "id,region\n2,a\n",
                with(bearer(tenantToken("bob")), "Idempotency-Key", key));
        assertThat(bob.status()).as(bob.body()).isEqualTo(200);
    }

    @Test
    void publicStarReachesNeitherTheAllowListNorTheGrantsOfASchemaNamedPublicDotX() {
        sql("create schema if not exists \"public.x\"");
        String suffix = Long.toString(System.nanoTime());
        String open = "open_" + suffix;
        String hidden = "hidden_" + suffix;
        sql("create table \"public.x\"." + open + " (id bigint primary key)");
        sql("create table \"public.x\"." + hidden + " (id bigint primary key)");
        // in public, a table whose name holds the dot: public.* reaches it
        sql("create table public.\"x." + open + "\" (id bigint primary key)");
        try {
            String quotedOpen = "\"public.x\"." + open;
            String[] everything = bearer(jwt.token("erin", "bulkload:load:*.* bulkload:read"));
            // the allow-list (public.*, "public.x".open_*) does not include "public.x".hidden_…: 404 for everyone
            LoadClient.Response notListed = this.client.load("\"public.x\"." + hidden, "", CSV, "id\n1\n", everything);
            assertThat(notListed.status()).as(notListed.body()).isEqualTo(404);
            assertThat(notListed.text("type")).isEqualTo("urn:bulkload:problem:table-not-found");
            assertThat(this.client.get("/api/v1/tables", everything).body()).contains(open).doesNotContain(hidden);

            // the key granted public.* may not load "public.x".open_…
            LoadClient.Response forbidden = this.client.load(quotedOpen, "", CSV, "id\n1\n", "X-API-Key", ALICE_KEY);
            assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
            assertThat(forbidden.text("type")).isEqualTo("urn:bulkload:problem:forbidden-table");
            assertThat(forbidden.text("table")).isEqualTo(quotedOpen);
            assertThat(this.client.get("/api/v1/tables/" + encoded(quotedOpen), "X-API-Key", ALICE_KEY).status())
                .isEqualTo(404);
            assertThat(this.client.get("/api/v1/tables", "X-API-Key", ALICE_KEY).body())
                .contains("x." + open).doesNotContain("\"schema\":\"public.x\"");

            // the key granted "public.x".* may, and reports name the table unambiguously
            LoadClient.Response loaded = this.client.load(quotedOpen, "", CSV, "id\n1\n", "X-API-Key", DOTTED_KEY);
            assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
            assertThat(loaded.text("table")).isEqualTo(quotedOpen);
            LoadClient.Response described = this.client.get("/api/v1/tables/" + encoded(quotedOpen), "X-API-Key",
                    DOTTED_KEY);
            assertThat(described.status()).isEqualTo(200);
            assertThat(described.text("schema")).isEqualTo("public.x");
            assertThat(described.text("qualifiedName")).isEqualTo(quotedOpen);
            LoadClient.Response listed = this.client.get("/api/v1/loads?table=" + encoded(quotedOpen), "X-API-Key",
                    DOTTED_KEY);
            assertThat(listed.json().get("loads")).singleElement()
                .satisfies((load) -> assertThat(load.get("id").asString()).isEqualTo(loaded.text("id")));
            assertThat(this.client.get("/api/v1/loads/" + loaded.text("id"), "X-API-Key", ALICE_KEY).status())
                .isEqualTo(404);
            // a JWT scope may name it too (sent as a list: a quoted scope cannot ride in a space-separated string)
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", "dana");
            claims.put("db_role", TENANT_A);
            claims.put("scope", List.of("bulkload:load:\"public.x\".*"));
            sql("grant usage on schema \"public.x\" to " + TENANT_A);
            sql("grant insert on \"public.x\"." + open + " to " + TENANT_A);
            LoadClient.Response scoped = this.client.load(quotedOpen, "", CSV, "id\n2\n",
                    bearer(jwt.tokenWith(claims)));
            assertThat(scoped.status()).as(scoped.body()).isEqualTo(200);
            assertThat(count(quotedOpen)).isEqualTo(2);

            // unquoted, the text splits at its first dot: public."x.open_…", which public.* reaches
            LoadClient.Response dotted = this.client.load("public.x." + open, "", CSV, "id\n7\n", "X-API-Key",
                    ALICE_KEY);
            assertThat(dotted.status()).as(dotted.body()).isEqualTo(200);
            assertThat(dotted.text("table")).isEqualTo("public.\"x." + open + "\"");
            assertThat(count("public.\"x." + open + "\"")).isEqualTo(1);
            assertThat(count(quotedOpen)).isEqualTo(2);
        }
        finally {
            sql("drop table if exists public.\"x." + open + "\"");
        }
    }

    @Test
    void aRoleThatCodeInTheLoadSetForTheSessionDoesNotOutliveTheLoad() throws Exception {
        String trap = "trap_" + SUFFIX;
        String function = "public.set_role_" + System.nanoTime();
        sql("create role " + trap + " nologin");
        try {
            // code the load runs as the tenant (a trigger here) may SET ROLE for the whole session: the check is
            // against the session's user, the service's, and a plain SET made in a transaction outlives its COMMIT
            sql("create function " + function + "() returns trigger language plpgsql as $$ begin "
                    + "perform set_config('role', '" + trap + "', false); return new; end $$");
            sql("create trigger set_role before insert on " + this.table + " for each row execute function "
                    + function + "()");
            LoadClient.Response loaded = this.client.load(this.table, "", CSV, "id,region\n1,a\n",
                    bearer(tenantToken("alice")));
            assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
            assertThat(regions()).isEqualTo("a");
            // every connection of the pool, the load's among them, acts as the service's own user again
            List<java.sql.Connection> pooled = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < this.hikari.getMaximumPoolSize(); i++) {
                    java.sql.Connection connection = this.hikari.getConnection();
                    pooled.add(connection);
                    try (java.sql.Statement statement = connection.createStatement();
                            java.sql.ResultSet rs = statement.executeQuery("select current_user = session_user")) {
                        rs.next();
                        assertThat(rs.getBoolean(1)).as("pooled connection %d", i).isTrue();
                    }
                }
            }
            finally {
                for (java.sql.Connection connection : pooled) {
                    connection.close();
                }
            }
        }
        finally {
            sql("drop table if exists " + this.table);
            sql("drop function if exists " + function + "()");
            sql("drop role if exists " + trap);
        }
    }

    private void assertRoleClaimRefused(String what, LoadClient.Response response) {
        assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(403);
        assertThat(response.contentType()).as(what).startsWith(PROBLEM);
        assertThat(response.text("type")).as(what).isEqualTo("urn:bulkload:problem:forbidden-role-claim");
        assertThat(response.text("claim")).as(what).isEqualTo("db_role");
        assertThat(response.text("detail")).as(what).contains("db_role");
    }

    private static String tenantToken(String subject) {
        return jwt.token(subject, "bulkload:load:public.*", "db_role", TENANT_A);
    }

    private static String[] bearer(String token) {
        return new String[] { "Authorization", "Bearer " + token };
    }

    private static String[] with(String[] headers, String name, String value) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = name;
        all[headers.length + 1] = value;
        return all;
    }

    private static String encoded(String table) {
        return java.net.URLEncoder.encode(table, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String regions() {
        return this.jdbc.sql("select coalesce(string_agg(region, ',' order by id), '') from " + this.table)
            .query(String.class)
            .single();
    }

    private long count(String table) {
        return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private void sql(String statement) {
        this.jdbc.sql(statement).update();
    }
}
