package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;

/**
 * A reject for a foreign key or a unique key names the value at fault, with {@code onError=skip} as with abort:
 * which value of which column is missing from the referenced table, or already taken.
 */
@BulkLoaderTest
class KeyValueRejectTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @CsvSource({ "copy, insert", "batch, insert", "copy, upsert", "batch, upsert" })
    void foreignKeyRejectNamesTheMissingValueWhenSkipping(String method, String mode) {
        TestTables tables = new TestTables(this.jdbc);
        String parents = tables.create("parents", "id int primary key");
        this.jdbc.sql("insert into " + parents + " values (1), (2)").update();
        String children = tables.create("children",
                "id int primary key, parent_id int constraint child_parent references " + parents + " (id)");
        String csv = "id,parent_id\n1,1\n2,999\n3,2\n";

        LoadClient.Response skipped = new LoadClient(this.port).load(children,
                "onError=skip&method=" + method + "&mode=" + mode, "text/csv", csv);
        LoadClient.Response aborted = new LoadClient(this.port).load(children,
                "method=" + method + "&mode=" + mode, "text/csv", "id,parent_id\n7,999\n");

        assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
        JsonNode reject = skipped.json().get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("column").asString()).isEqualTo("parent_id");
        assertThat(reject.get("sqlState").asString()).isEqualTo("23503");
        assertThat(reject.get("constraint").asString()).isEqualTo("child_parent");
        String expected = "insert or update on table \"" + children + "\" violates foreign key constraint "
                + "\"child_parent\" (Key (parent_id)=(999) is not present in table \"" + parents + "\".)";
        assertThat(reject.get("message").asString()).isEqualTo(expected);
        // the same words as the problem of a load that aborts on it
        assertThat(aborted.status()).as(aborted.body()).isEqualTo(422);
        assertThat(aborted.json().get("detail").asString()).contains("Key (parent_id)=(999) is not present in table \""
                + parents + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = { "copy", "batch" })
    void aReferencedTableWithADotAndAQuoteInItsNameIsNamedAsPostgresqlNamesIt(String method) {
        String parents = "Odd.\"Parent " + System.nanoTime();
        String quoted = "\"" + parents.replace("\"", "\"\"") + "\"";
        this.jdbc.sql("create table public." + quoted + " (id int primary key)").update();
        String children = new TestTables(this.jdbc).create("children",
                "id int primary key, parent_id int references public." + quoted + " (id)");

        LoadClient.Response skipped = new LoadClient(this.port).load(children, "onError=skip&method=" + method,
                "text/csv", "id,parent_id\n1,999\n");
        LoadClient.Response aborted = new LoadClient(this.port).load(children, "method=" + method, "text/csv",
                "id,parent_id\n1,999\n");

        String detail = "Key (parent_id)=(999) is not present in table \"" + parents + "\".";
        assertThat(skipped.json().get("rejects").get(0).get("message").asString()).endsWith("(" + detail + ")");
        assertThat(aborted.json().get("detail").asString()).contains(detail);
    }

    @ParameterizedTest
    @ValueSource(strings = { "copy", "batch" })
    void compositeForeignKeyRejectNamesEachColumnAndValue(String method) {
        TestTables tables = new TestTables(this.jdbc);
        String parents = tables.create("parents", "a int, b text, primary key (a, b)");
        this.jdbc.sql("insert into " + parents + " values (1, 'x')").update();
        String children = tables.create("children",
                "id int primary key, a int, b text, constraint child_ab foreign key (a, b) references " + parents);

        LoadClient.Response response = new LoadClient(this.port).load(children, "onError=skip&method=" + method,
                "text/csv", "id,a,b\n1,1,x\n2,1,y z\n");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode reject = response.json().get("rejects").get(0);
        assertThat(reject.get("record").asLong()).isEqualTo(2);
        assertThat(reject.get("message").asString())
            .endsWith("(Key (a, b)=(1, y z) is not present in table \"" + parents + "\".)");
    }

    @ParameterizedTest
    @ValueSource(strings = { "copy", "batch" })
    void uniqueKeyRejectNamesTheTakenValueWhenSkipping(String method) {
        String users = new TestTables(this.jdbc).users();
        this.jdbc.sql("insert into " + users + " (name, email) values ('Old', 'old@example.com')").update();

        LoadClient.Response response = new LoadClient(this.port).load(users, "onError=skip&method=" + method,
                "text/csv", "name,email\nAnn,old@example.com\nBob,bob@example.com\nCy,bob@example.com\n");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode rejects = response.json().get("rejects");
        assertThat(rejects.get(0).get("record").asLong()).isEqualTo(1);
        assertThat(rejects.get(0).get("message").asString())
            .endsWith("(Key (email)=(old@example.com) already exists in the table.)");
        assertThat(rejects.get(1).get("record").asLong()).isEqualTo(3);
        assertThat(rejects.get(1).get("message").asString())
            .endsWith("(Key (email)=(bob@example.com) is repeated in the payload)");
    }
}
