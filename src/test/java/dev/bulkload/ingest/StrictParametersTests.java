package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/**
 * Strict parameters: a misspelt or unknown name, a name given twice, or an option of another format is a 400
 * naming it, never a load run as if it were absent; for uploads the form fields are parameters too.
 */
@BulkLoaderTest
class StrictParametersTests {

    private static final String BOUNDARY = "----strict-parameters";

    private static final String BAD_CSV = "name,email\nAnn,ann@example.com\nBob,\nCy,cy@example.com\n";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    LoadClient client;

    TestTables tables;

    String users;

    @BeforeEach
    void setUp() {
        this.client = new LoadClient(this.port);
        this.tables = new TestTables(this.jdbc);
        this.users = this.tables.users();
    }

    @Test
    void lowerCaseOnErrorIsRefusedNotLoadedAsAbort() {
        LoadClient.Response response = this.client.load(this.users, "onerror=skip", "text/csv", BAD_CSV);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
        assertThat(response.text("parameter")).isEqualTo("onerror");
        assertThat(response.text("detail")).isEqualTo("Unknown parameter 'onerror': did you mean 'onError'?");
        assertThat(this.tables.count(this.users)).isZero();
        // spelt right, the caller gets skip
        LoadClient.Response skipped = this.client.load(this.users, "onError=skip", "text/csv", BAD_CSV);
        assertThat(skipped.number("rowsRejected")).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({ "dateStlye=DMY, dateStlye, dateStyle", "DateStyle=DMY, DateStyle, dateStyle",
            "recordPath=/data, recordPath, recordsPath", "batchsize=10, batchsize, batchSize", "modes=upsert, modes, mode",
            "Key=email, Key, key", "dryrun=true, dryrun, dryRun", "maxError=3, maxError, maxErrors",
            "delimeter=%3B, delimeter, delimiter", "nul=NULL, nul, null", "atomc=false, atomc, atomic" })
    void aMisspeltNameIsRefusedNamingTheClosestOne(String query, String sent, String meant) {
        LoadClient.Response response = this.client.load(this.users, query, "text/csv", BAD_CSV);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo(sent);
        assertThat(response.text("detail")).isEqualTo("Unknown parameter '" + sent + "': did you mean '" + meant + "'?");
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void aNameNothingIsCloseToListsTheParameters() {
        LoadClient.Response response = this.client.load(this.users, "julian=yes", "text/csv", BAD_CSV);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("julian");
        assertThat(response.text("detail")).startsWith("Unknown parameter 'julian'; a load takes mode, key, method, ")
            .contains("recordsPath", "dateStyle", "map", "unknownFields", "match", "charset", "overriding");
    }

    @Test
    void aParameterGivenTwiceIsRefused() {
        LoadClient.Response response = this.client.load(this.users, "onError=skip&onError=abort", "text/csv", BAD_CSV);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("onError");
        assertThat(response.text("detail")).isEqualTo("onError is given 2 times; give it once");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "recordsPath=/data|text/csv|recordsPath|recordsPath is an option of JSON array payloads only, and this payload is CSV",
            "recordsPath=/data|application/x-ndjson|recordsPath|recordsPath is an option of JSON array payloads only, and this payload is NDJSON",
            "delimiter=%3B|application/json|delimiter|delimiter is an option of CSV payloads only, and this payload is JSON array",
            "quote='|application/x-ndjson|quote|quote is an option of CSV payloads only, and this payload is NDJSON",
            "null=NULL|application/json|null|null is an option of CSV payloads only, and this payload is JSON array",
            "header=false|application/json|header|header is an option of CSV payloads only, and this payload is JSON array",
            "header=|application/x-ndjson|header|header is an option of CSV payloads only, and this payload is NDJSON",
            "header=false&columns=name,email|application/x-ndjson|header|header is an option of CSV payloads only, and this payload is NDJSON" })
    void anOptionOfAnotherFormatIsRefused(String query, String contentType, String parameter, String detail) {
        String body = contentType.equals("text/csv") ? "name,email\nAnn,ann@example.com\n"
                : contentType.equals("application/json") ? "[{\"name\":\"Ann\",\"email\":\"ann@example.com\"}]"
                        : "{\"name\":\"Ann\",\"email\":\"ann@example.com\"}\n";
        LoadClient.Response response = this.client.load(this.users, query, contentType, body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
        assertThat(response.text("parameter")).isEqualTo(parameter);
        assertThat(response.text("detail")).isEqualTo(detail);
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void formFieldsBeforeTheFileAreParameters() {
        byte[] upload = multipart(field("onError", "skip"), field("maxErrors", "5"),
                file("users.csv", "text/csv", BAD_CSV.getBytes(StandardCharsets.UTF_8)));
        LoadClient.Response response = upload("", upload);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.number("rowsInserted")).isEqualTo(2);
        assertThat(response.number("rowsRejected")).isEqualTo(1);
        assertThat(response.json().get("options").get("onError").asString()).isEqualTo("skip");
        assertThat(response.json().get("options").get("maxErrors").asInt()).isEqualTo(5);
    }

    @Test
    void formFieldsAndTheQueryBindAlike() {
        byte[] upload = multipart(field("recordsPath", "/data"), field("dateStyle", "dmy"),
                file("page.json", null, "{\"data\":[{\"name\":\"Ann\",\"email\":\"ann@example.com\",\"created_at\":\"31/12/2024 10:00+00\"}]}"
                    .getBytes(StandardCharsets.UTF_8)));
        LoadClient.Response response = upload("mode=upsert&key=email", upload);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(this.jdbc.sql("select (created_at at time zone 'UTC')::date::text from " + this.users)
            .query(String.class).single()).isEqualTo("2024-12-31");
    }

    @Test
    void anUnknownFormFieldIsRefusedNamingTheClosestOne() {
        LoadClient.Response response = upload("", multipart(field("onerror", "skip"),
                file("users.csv", "text/csv", BAD_CSV.getBytes(StandardCharsets.UTF_8))));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("onerror");
        assertThat(response.text("detail")).isEqualTo("Unknown form field 'onerror': did you mean 'onError'?");
        LoadClient.Response misnamed = upload("", multipart(field("fil", "users.csv"),
                file("users.csv", "text/csv", BAD_CSV.getBytes(StandardCharsets.UTF_8))));
        assertThat(misnamed.text("detail")).isEqualTo("Unknown form field 'fil': did you mean 'file'?");
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void aFormFieldAfterTheFileIsRefusedAndNothingRemains() {
        LoadClient.Response response = upload("", multipart(
                file("users.csv", "text/csv", BAD_CSV.getBytes(StandardCharsets.UTF_8)), field("onError", "skip")));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
        assertThat(response.text("parameter")).isEqualTo("onError");
        assertThat(response.text("detail")).contains("after the file part");
        assertThat(this.tables.count(this.users)).isZero();

        // a clean file whose load would otherwise commit: refused before its commit, gzipped too
        byte[] clean = gzip("name,email\nAnn,ann@example.com\n".getBytes(StandardCharsets.UTF_8));
        LoadClient.Response gzipped = upload("",
                multipart(file("users.csv.gz", null, clean), field("dryRun", "true")));
        assertThat(gzipped.status()).as(gzipped.body()).isEqualTo(400);
        assertThat(gzipped.text("parameter")).isEqualTo("dryRun");
        LoadClient.Response nonAtomic = upload("atomic=false&batchSize=1",
                multipart(file("users.csv", null, "name,email\nAnn,ann@example.com\nBob,bob@example.com\n"
                    .getBytes(StandardCharsets.UTF_8)), field("mode", "upsert")));
        assertThat(nonAtomic.status()).isEqualTo(400);
        assertThat(nonAtomic.text("parameter")).isEqualTo("mode");
        // what committed before the end of the file was read is said, as for any failure of a non-atomic load
        assertThat(nonAtomic.number("rowsCommitted")).isEqualTo(this.tables.count(this.users));
    }

    @Test
    void anotherPartAfterTheFileIsRefused() {
        byte[] csv = "name,email\nAnn,ann@example.com\n".getBytes(StandardCharsets.UTF_8);
        LoadClient.Response response = upload("", multipart(file("a.csv", null, csv), file("b.csv", null, csv)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("type")).isEqualTo("urn:bulkload:problem:malformed-payload");
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void aFilePartOfAnotherNameIsRefused() {
        byte[] csv = "name,email\nAnn,ann@example.com\n".getBytes(StandardCharsets.UTF_8);
        String other = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"meta\"; filename=\"m.json\"\r\n\r\n{}\r\n";
        LoadClient.Response response = upload("", multipart(other, file("a.csv", null, csv)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("detail")).contains("'meta'", "'file'");
        assertThat(this.tables.count(this.users)).isZero();
    }

    @Test
    void aFormFieldCannotRepeatAQueryParameter() {
        LoadClient.Response response = upload("onError=abort", multipart(field("onError", "skip"),
                file("users.csv", "text/csv", BAD_CSV.getBytes(StandardCharsets.UTF_8))));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("onError");
        assertThat(response.text("detail")).isEqualTo("onError is given 2 times; give it once");
    }

    @Test
    void aFormFieldOfAnotherFormatIsRefused() {
        LoadClient.Response response = upload("", multipart(field("delimiter", ";"),
                file("users.json", null, "[]".getBytes(StandardCharsets.UTF_8))));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("parameter")).isEqualTo("delimiter");
        LoadClient.Response path = upload("recordsPath=/data", multipart(
                file("users.ndjson", null, "{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.text("parameter")).isEqualTo("recordsPath");
    }

    @Test
    void theRegistryApiIsStrictToo() {
        LoadClient.Response misspelt = this.client.get("/api/v1/loads?stauts=running");
        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt.text("type")).isEqualTo("urn:bulkload:problem:invalid-parameter");
        assertThat(misspelt.text("parameter")).isEqualTo("stauts");
        assertThat(misspelt.text("detail")).isEqualTo("Unknown parameter 'stauts': did you mean 'status'?");
        assertThat(this.client.get("/api/v1/loads?table=" + this.users + "&status=running&limit=5").status())
            .isEqualTo(200);
        LoadClient.Response tables = this.client.get("/api/v1/tables?schema=public");
        assertThat(tables.status()).isEqualTo(400);
        assertThat(tables.text("detail")).isEqualTo("Unknown parameter 'schema'; this endpoint takes no parameters");
        assertThat(this.client.get("/api/v1/tables").status()).isEqualTo(200);
    }

    private LoadClient.Response upload(String query, byte[] body) {
        return this.client.load(this.users, query, "multipart/form-data; boundary=" + BOUNDARY, body);
    }

    private static String field(String name, String value) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static Object file(String filename, String contentType, byte[] content) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\n" + ((contentType != null) ? "Content-Type: " + contentType + "\r\n" : "") + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.writeBytes(head);
        part.writeBytes(content);
        part.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return part.toByteArray();
    }

    private static byte[] multipart(Object... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object part : parts) {
            body.writeBytes((part instanceof String text) ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) part);
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
