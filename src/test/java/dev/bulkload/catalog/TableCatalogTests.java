package dev.bulkload.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabase;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/** The table catalog over HTTP, including tables whose names are hostile. */
@BulkLoaderTest
class TableCatalogTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TableCatalog catalog;

    LoadClient client;

    TestTables tables;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
    }

    @Test
    void describesColumnsKeysAndDefaults() {
        String table = this.tables.create("described", "id bigserial primary key, code char(2) not null, "
                + "email text unique, amount numeric(12,2) default 0, total numeric generated always as (amount * 2) stored, "
                + "a int, b int, unique (a, b)");
        LoadClient.Response response = this.client.get("/api/v1/tables/" + table);
        assertThat(response.status()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.get("qualifiedName").asString()).isEqualTo("public." + table);
        assertThat(json.get("primaryKey").toString()).isEqualTo("[\"id\"]");
        assertThat(json.get("uniqueKeys").toString()).isEqualTo("[[\"email\"],[\"a\",\"b\"]]");
        JsonNode code = json.get("columns").get(1);
        assertThat(code.get("name").asString()).isEqualTo("code");
        assertThat(code.get("type").asString()).isEqualTo("character(2)");
        assertThat(code.get("nullable").asBoolean()).isFalse();
        assertThat(code.get("hasDefault").asBoolean()).isFalse();
        assertThat(json.get("columns").get(0).get("hasDefault").asBoolean()).isTrue();
        assertThat(json.get("columns").get(4).get("generated").asBoolean()).isTrue();
    }

    @Test
    void columnsCarryTheShapeOfTheirTypesThroughDomainsArraysAndComposites() {
        String suffix = "_" + (System.nanoTime() % 1_000_000);
        this.jdbc.sql("create type shape_inner" + suffix + " as (x int, doc jsonb)").update();
        this.jdbc.sql("create domain shape_doc" + suffix + " as jsonb").update();
        this.jdbc.sql("create domain shape_ints" + suffix + " as int[] check (cardinality(value) < 3)").update();
        this.jdbc.sql("create domain shape_row" + suffix + " as shape_inner" + suffix).update();
        this.jdbc.sql("create type shape_outer" + suffix + " as (i shape_inner" + suffix + ", rows shape_row" + suffix
                + "[], tags text[])").update();
        String table = this.tables.create("shapes", "id int, p point, doc shape_doc" + suffix + ", ints shape_ints"
                + suffix + ", grid int[][], o shape_outer" + suffix + ", os shape_outer" + suffix + "[]");
        try {
            LoadableTable described = this.catalog.require(table);
            TypeShape inner = TypeShape.composite(List.of(new TypeShape.Field("x", TypeShape.SCALAR),
                    new TypeShape.Field("doc", TypeShape.JSON)));
            TypeShape outer = TypeShape.composite(List.of(new TypeShape.Field("i", inner),
                    new TypeShape.Field("rows", TypeShape.arrayOf(inner)),
                    new TypeShape.Field("tags", TypeShape.arrayOf(TypeShape.SCALAR))));
            assertThat(described.columns().stream().map(LoadableColumn::shape).toList()).containsExactly(
                    TypeShape.SCALAR, TypeShape.SCALAR, TypeShape.JSON, TypeShape.arrayOf(TypeShape.SCALAR),
                    TypeShape.arrayOf(TypeShape.SCALAR), outer, TypeShape.arrayOf(outer));
        }
        finally {
            this.jdbc.sql("drop table " + table).update();
            this.jdbc.sql("drop type shape_outer" + suffix).update();
            this.jdbc.sql("drop domain shape_row" + suffix + ", shape_ints" + suffix + ", shape_doc" + suffix).update();
            this.jdbc.sql("drop type shape_inner" + suffix).update();
        }
    }

    @Test
    void notEnforcedChecksAndForeignKeysAreLeftOut() {
        Assumptions.assumeTrue(TestDatabase.settings().majorVersion() >= 18, "NOT ENFORCED is new in PostgreSQL 18");
        String parent = this.tables.create("parent", "id int primary key");
        String table = this.tables.create("not_enforced", "id int primary key, qty int, parent int, "
                + "constraint qty_positive check (qty > 0), constraint qty_small check (qty < 10) not enforced, "
                + "constraint id_in_parent foreign key (id) references " + parent + " not enforced, "
                + "constraint parent_in_parent foreign key (parent) references " + parent);
        LoadableTable described = this.catalog.require(table);
        assertThat(described.checks()).extracting(CheckConstraint::name).containsExactly("qty_positive");
        assertThat(described.foreignKeys()).extracting(ForeignKey::name).containsExactly("parent_in_parent");
    }

    @Test
    void notValidChecksAreKeptBecauseNewRowsMustPassThem() {
        String table = this.tables.create("not_valid", "qty int");
        this.jdbc.sql("insert into public." + table + " values (-1)").update();
        this.jdbc.sql("alter table public." + table + " add constraint qty_positive check (qty > 0) not valid").update();
        assertThat(this.catalog.require(table).checks()).extracting(CheckConstraint::name).containsExactly("qty_positive");
    }

    @Test
    void deferrableKeysAndConstraintsAreReported() {
        String parent = this.tables.create("parent", "id int primary key");
        String keys = this.tables.create("deferrable_keys", "id int primary key, "
                + "code text unique deferrable initially deferred, email text unique, a int, b int, "
                + "unique (b, a) deferrable");
        LoadableTable described = this.catalog.require(keys);
        assertThat(described.deferrableKeys()).containsExactlyInAnyOrder(List.of("code"), List.of("b", "a"));
        assertThat(described.isDeferrableKey(List.of("a", "b"))).isTrue();
        assertThat(described.isDeferrableKey(List.of("email"))).isFalse();
        assertThat(described.hasDeferrableConstraints()).isTrue();
        String foreignKey = this.tables.create("deferrable_fk",
                "id int primary key, parent int references " + parent + " deferrable initially deferred");
        assertThat(this.catalog.require(foreignKey).deferrableKeys()).isEmpty();
        assertThat(this.catalog.require(foreignKey).hasDeferrableConstraints()).isTrue();
        String exclusion = this.tables.create("deferrable_exclusion", "v int, exclude using btree (v with =) deferrable");
        assertThat(this.catalog.require(exclusion).hasDeferrableConstraints()).isTrue();
        assertThat(this.catalog.require(parent).hasDeferrableConstraints()).isFalse();
        assertThat(this.catalog.require(parent).deferrableKeys()).isEmpty();
    }

    @Test
    void listsLoadableTablesOnly() {
        String table = this.tables.users();
        this.jdbc.sql("create schema if not exists hidden").update();
        this.jdbc.sql("create table if not exists hidden.t (v int)").update();
        LoadClient.Response response = this.client.get("/api/v1/tables");
        assertThat(response.status()).isEqualTo(200);
        List<String> names = response.json().valueStream().map((t) -> t.get("qualifiedName").asString()).toList();
        assertThat(names).contains("public." + table).noneMatch((n) -> n.startsWith("hidden.") || n.startsWith("bulkload."));
    }

    @Test
    void hostileTableNamesAreQuotedNotExecuted() {
        List<String> names = List.of("a\"; drop table x; --", "MixedCase", "with space", "ünïcødé_表", "dot.ted");
        this.jdbc.sql("create table if not exists public.x (v int)").update();
        for (String name : names) {
            this.jdbc.sql("drop table if exists public." + SqlIdentifier.quote(name)).update();
            this.jdbc.sql("create table public." + SqlIdentifier.quote(name) + " (\"we\"\"ird col\" text, n int)")
                .update();
            assertThat(this.catalog.find(name)).as(name).isPresent();
            assertThat(this.catalog.find("public." + name)).as(name).isPresent();
            LoadClient.Response response = this.client.load(name, "", "text/csv", "\"we\"\"ird col\",n\nhello,1\n");
            assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(200);
            assertThat(response.number("rowsInserted")).isEqualTo(1);
            assertThat(this.jdbc.sql("select count(*) from public." + SqlIdentifier.quote(name)).query(Long.class).single())
                .isEqualTo(1);
        }
        assertThat(this.catalog.find("x")).isPresent();
        assertThat(this.catalog.find("mixedcase")).isEmpty();
    }

    @Test
    void unknownTableIsAProblem() {
        LoadClient.Response response = this.client.get("/api/v1/tables/no_such_table");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("urn:bulkload:problem:table-not-found");
    }

    @Test
    void quotingDoublesQuotesAndRefusesNul() {
        assertThat(SqlIdentifier.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(SqlIdentifier.quote("s", "t")).isEqualTo("\"s\".\"t\"");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> SqlIdentifier.quote("a\0b"));
    }
}
