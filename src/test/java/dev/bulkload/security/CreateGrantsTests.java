package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
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
import tools.jackson.databind.JsonNode;

/**
 * Who may create a table with {@code create=true}, over real HTTP with security on: a {@code bulkload:create:} scope
 * or an API key's {@code create-tables} beside the load grant, else 403 naming the table and nothing created; a
 * caller with a database role creates the table as that role, which owns it; and {@code GET /api/v1/me} for a key,
 * a token, no credentials and wrong ones.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true", "bulkload.tables.include=public.*",
                "spring.security.oauth2.resourceserver.jwt.audiences=" + JwtFixture.AUDIENCE,
                "bulkload.security.jwt.role-claim=db_role" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class CreateGrantsTests {

    private static final String SUFFIX = Long.toString(System.nanoTime());

    static final String CREATOR_ROLE = "creator_" + SUFFIX;

    static final String NO_CREATE_ROLE = "no_create_" + SUFFIX;

    static final String CREATOR_KEY = "creator-key-" + SUFFIX;

    static final String LOADER_KEY = "loader-key-" + SUFFIX;

    static final String ROLE_WITHOUT_CREATE_KEY = "weak-key-" + SUFFIX;

    static final JwtFixture jwt = new JwtFixture();

    private static final String CSV = "text/csv";

    @DynamicPropertySource
    static void authentication(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", jwt::publicKeyLocation);
        registry.add("bulkload.security.api-keys[0].name", () -> "creator");
        registry.add("bulkload.security.api-keys[0].sha256", () -> SecurityTests.sha256(CREATOR_KEY));
        registry.add("bulkload.security.api-keys[0].tables[0]", () -> "public.*");
        registry.add("bulkload.security.api-keys[0].create-tables[0]", () -> "public.new_*");
        registry.add("bulkload.security.api-keys[0].role", () -> CREATOR_ROLE);
        registry.add("bulkload.security.api-keys[1].name", () -> "loader");
        registry.add("bulkload.security.api-keys[1].sha256", () -> SecurityTests.sha256(LOADER_KEY));
        registry.add("bulkload.security.api-keys[1].tables[0]", () -> "public.*");
        registry.add("bulkload.security.api-keys[2].name", () -> "weak");
        registry.add("bulkload.security.api-keys[2].sha256", () -> SecurityTests.sha256(ROLE_WITHOUT_CREATE_KEY));
        registry.add("bulkload.security.api-keys[2].tables[0]", () -> "public.*");
        registry.add("bulkload.security.api-keys[2].create-tables[0]", () -> "public.*");
        registry.add("bulkload.security.api-keys[2].role", () -> NO_CREATE_ROLE);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    String table;

    @BeforeEach
    void roles() {
        this.client = new LoadClient(this.port);
        this.table = "new_" + System.nanoTime();
        for (String role : new String[] { CREATOR_ROLE, NO_CREATE_ROLE }) {
            if (this.jdbc.sql("select count(*) from pg_roles where rolname = ?").param(role).query(Long.class)
                .single() == 0) {
                this.jdbc.sql("create role " + role + " nologin").update();
                this.jdbc.sql("grant " + role + " to current_user").update();
            }
            this.jdbc.sql("grant usage on schema public to " + role).update();
        }
        this.jdbc.sql("grant create on schema public to " + CREATOR_ROLE).update();
        this.jdbc.sql("revoke create on schema public from " + NO_CREATE_ROLE).update();
    }

    @AfterAll
    static void dropRoles(@Autowired JdbcClient jdbc) {
        for (String role : new String[] { CREATOR_ROLE, NO_CREATE_ROLE }) {
            jdbc.sql("drop owned by " + role).update();
            jdbc.sql("drop role " + role).update();
        }
    }

    @Test
    void anApiKeyWithCreateTablesCreatesTheTableAsItsRoleWhichOwnsIt() {
        LoadClient.Response response = this.client.load(this.table, "create=true", CSV, "id,name\n1,Ann\n",
                "X-API-Key", CREATOR_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("table").get("created").asBoolean()).isTrue();
        assertThat(owner(this.table)).isEqualTo(CREATOR_ROLE);
        assertThat(new TestTables(this.jdbc).count(this.table)).isEqualTo(1);
    }

    @Test
    void withoutACreateGrantTheLoadIs403NamingTheTableAndNothingIsCreated() {
        LoadClient.Response byKey = this.client.load(this.table, "create=true", CSV, "id\n1\n", "X-API-Key",
                LOADER_KEY);
        assertForbidden(byKey);
        // a create-tables glob that does not match the name
        LoadClient.Response outsideGlob = this.client.load("other_" + SUFFIX, "create=true", CSV, "id\n1\n",
                "X-API-Key", CREATOR_KEY);
        assertThat(outsideGlob.status()).isEqualTo(403);
        assertThat(outsideGlob.text("table")).isEqualTo("public.other_" + SUFFIX);
        LoadClient.Response byToken = this.client.load(this.table, "create=true", CSV, "id\n1\n", "Authorization",
                "Bearer " + jwt.token("bob", "bulkload:load:public.*", "db_role", CREATOR_ROLE));
        assertForbidden(byToken);
        // a create scope without the load grant is not enough either
        LoadClient.Response createOnly = this.client.load(this.table, "create=true", CSV, "id\n1\n", "Authorization",
                "Bearer " + jwt.token("carl", "bulkload:create:public.*", "db_role", CREATOR_ROLE));
        assertThat(createOnly.status()).isEqualTo(403);
        assertThat(exists(this.table)).isFalse();
    }

    @Test
    void aTokenWithACreateScopeCreatesTheTable() {
        LoadClient.Response response = this.client.load(this.table, "create=true&dryRun=true", CSV, "id\n1\n",
                "Authorization", "Bearer " + jwt.token("alice", "bulkload:load:public.* bulkload:create:public.new_*",
                        "db_role", CREATOR_ROLE));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(exists(this.table)).isFalse();
        LoadClient.Response created = this.client.load(this.table, "create=true", CSV, "id\n1\n", "Authorization",
                "Bearer " + jwt.token("alice", "bulkload:load:public.* bulkload:create:public.new_*", "db_role",
                        CREATOR_ROLE));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(owner(this.table)).isEqualTo(CREATOR_ROLE);
    }

    @Test
    void aRoleTheDatabaseDoesNotLetCreateIs403AndLeavesNoTable() {
        LoadClient.Response response = this.client.load(this.table, "create=true", CSV, "id\n1\n", "X-API-Key",
                ROLE_WITHOUT_CREATE_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.text("table")).isEqualTo("public." + this.table);
        assertThat(response.text("sqlState")).isEqualTo("42501");
        assertThat(response.text("detail")).doesNotContain("CREATE TABLE \"");
        assertThat(exists(this.table)).isFalse();
    }

    @Test
    void meAnswersWhoTheCallerIsAndWhatItMayLoadAndCreate() {
        String users = "public." + new TestTables(this.jdbc).users();
        JsonNode key = this.client.get("/api/v1/me", "X-API-Key", CREATOR_KEY).json();
        assertThat(key.get("securityEnabled").asBoolean()).isTrue();
        assertThat(key.get("authenticated").asBoolean()).isTrue();
        assertThat(key.get("caller").asString()).isEqualTo("key:creator");
        assertThat(key.get("role").asString()).isEqualTo(CREATOR_ROLE);
        assertThat(strings(key.get("tables"))).contains(users);
        assertThat(strings(key.get("createTables"))).containsExactly("public.new_*");
        LoadClient.Response token = this.client.get("/api/v1/me", "Authorization",
                "Bearer " + jwt.token("alice", "bulkload:load:sales.*", "db_role", CREATOR_ROLE));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.json().get("caller").asString()).isEqualTo("jwt:alice");
        assertThat(token.json().get("role").asString()).isEqualTo(CREATOR_ROLE);
        assertThat(strings(token.json().get("tables"))).doesNotContain(users);
        assertThat(strings(token.json().get("createTables"))).isEmpty();
        LoadClient.Response anonymous = this.client.get("/api/v1/me");
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.json().get("authenticated").asBoolean()).isFalse();
        assertThat(anonymous.json().get("caller").isNull()).isTrue();
        assertThat(strings(anonymous.json().get("tables"))).isEmpty();
        for (String[] wrong : new String[][] { { "X-API-Key", "wrong" },
                { "Authorization", "Bearer " + jwt.expired("bulkload:load:public.*") } }) {
            LoadClient.Response refused = this.client.get("/api/v1/me", wrong);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
    }

    private void assertForbidden(LoadClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:forbidden-table");
        assertThat(response.text("table")).isEqualTo("public." + this.table);
        assertThat(exists(this.table)).isFalse();
    }

    private String owner(String table) {
        return this.jdbc.sql("select tableowner from pg_tables where schemaname = 'public' and tablename = ?")
            .param(table)
            .query(String.class)
            .single();
    }

    private boolean exists(String table) {
        return this.jdbc.sql("select exists (select 1 from pg_class where relname = ?)").param(table)
            .query(Boolean.class)
            .single();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach((value) -> values.add(value.asString()));
        return values;
    }
}
