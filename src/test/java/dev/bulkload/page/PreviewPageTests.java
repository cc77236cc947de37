package dev.bulkload.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.TestTables;

/**
 * The load page reads the start of a file before anything is sent: the preview with the delimiter and header row
 * it detects, the Columns section prefilled by name, Check listing every bad row, and nothing uploaded while a
 * required column has no field.
 */
@BulkLoaderTest
class PreviewPageTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path files;

    Browser browser;

    String table;

    @BeforeEach
    void openBrowser() {
        this.browser = Browser.open(1100, 1400);
        this.table = new TestTables(this.jdbc).users();
    }

    @AfterEach
    void closeBrowser() {
        if (this.browser != null) {
            this.browser.close();
        }
    }

    @Test
    void semicolonExportWithByteOrderMarkIsPreviewedCheckedThenLoadedWithSkip() throws IOException {
        // an Excel export: UTF-8 byte-order mark, semicolons, CRLF; records 3, 5 and 7 are bad
        String csv = "Name;E-mail\r\nAnn Semi;ann.semi@example.com\r\nBob Semi;bob.semi@example.com\r\n"
                + "Eve Semi;\r\nDan Semi;dan.semi@example.com\r\nRepeat;ann.semi@example.com\r\n"
                + "Fay Semi;fay.semi@example.com\r\n;nameless.semi@example.com\r\nGus Semi;gus.semi@example.com\r\n";
        Path file = this.files.resolve("excel-export.csv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
        bytes.write(csv.getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        LoadPage page = LoadPage.open(this.browser, this.port);

        page.choose("public." + this.table, file);

        assertThat(page.select("delimiter").getFirstSelectedOption().getAttribute("value")).isEqualTo(";");
        assertThat(page.byId("header").isSelected()).isTrue();
        assertThat(page.select("charset").getFirstSelectedOption().getAttribute("value")).isEqualTo("utf-8");
        assertThat(page.previewFields()).as("the byte-order mark is not part of the first name")
            .containsExactly("Name", "E-mail");
        assertThat(page.previewRows().get(0)).containsExactly("Ann Semi", "ann.semi@example.com");
        assertThat(page.text("preview-info")).contains("delimiter semicolon", "a header row");
        // Name meets name by case alone, E-mail meets email loosely
        assertThat(page.column("Name").getFirstSelectedOption().getAttribute("value")).isEqualTo("name");
        assertThat(page.column("E-mail").getFirstSelectedOption().getAttribute("value")).isEqualTo("email");
        assertThat(page.unmatchedFields()).isEmpty();
        this.browser.script("document.getElementById('preview-section').scrollIntoView()");
        this.browser.screenshot("load-page-preview");

        page.byId("check").click();
        assertThat(page.awaitEnd()).as(page.text("problem")).isEqualTo("done");

        assertThat(page.outcome()).isEqualTo("checked");
        assertThat(page.text("result-title")).isEqualTo("Checked: 3 rows would be rejected");
        assertThat(page.rejectedRecords()).containsExactly(3L, 5L, 7L);
        assertThat(page.activeElementId()).as("focus moves to the result").isEqualTo("result");
        assertThat(count()).as("Check writes nothing").isZero();

        page.select("onError").selectByValue("skip");
        page.byId("load").click();
        assertThat(page.awaitEnd()).as(page.text("problem")).isEqualTo("done");

        assertThat(page.outcome()).isEqualTo("loaded-with-rejects");
        assertThat(page.text("result-title")).isEqualTo("Loaded with 3 rejected");
        assertThat(page.rejectedRecords()).containsExactly(3L, 5L, 7L);
        assertThat(count()).isEqualTo(5).isEqualTo(page.summary("rowsInserted"));
        assertThat(this.jdbc.sql("select name from public." + this.table + " order by id").query(String.class).list())
            .containsExactly("Ann Semi", "Bob Semi", "Dan Semi", "Fay Semi", "Gus Semi");
    }

    @Test
    void fieldsNamedOtherwiseAreMappedByThePersonBeforeAnythingIsSent() throws IOException {
        Path file = this.files.resolve("signups.csv");
        Files.writeString(file, "Full Name,E-mail Address,Signed Up\n"
                + "Ann Map,ann.map@example.com,2024-01-02T10:00:00Z\n"
                + "Bob Map,bob.map@example.com,2024-03-04T11:30:00Z\n", StandardCharsets.UTF_8);
        LoadPage page = LoadPage.open(this.browser, this.port);

        page.choose("public." + this.table, file);

        assertThat(page.previewFields()).containsExactly("Full Name", "E-mail Address", "Signed Up");
        assertThat(page.previewRows()).containsExactly(
                List.of("Ann Map", "ann.map@example.com", "2024-01-02T10:00:00Z"),
                List.of("Bob Map", "bob.map@example.com", "2024-03-04T11:30:00Z"));
        assertThat(page.unmatchedFields()).containsExactly("Full Name", "E-mail Address", "Signed Up");

        page.byId("load").click();
        assertThat(page.awaitEnd()).isEqualTo("invalid");
        assertThat(page.outcome()).isEqualTo("not-sent");
        assertThat(page.text("problem")).contains("Column name is required", "Column email is required",
                "Choose a column for the field “Full Name”");
        assertThat(page.text("mapping-problems")).contains("Column name is required");

        page.column("Full Name").selectByValue("name");
        page.column("E-mail Address").selectByValue("email");
        page.column("Signed Up").selectByValue("created_at");
        assertThat(page.unmatchedFields()).isEmpty();
        assertThat(page.attribute("mapping-problems", "data-problems")).isEqualTo("0");
        assertThat(page.byId("result").isDisplayed()).as("the Not sent answer goes once the mapping is right").isFalse();
        this.browser.script("document.getElementById('mapping-section').scrollIntoView()");
        this.browser.screenshot("load-page-mapping");
        page.byId("load").click();
        assertThat(page.awaitEnd()).as(page.text("problem")).isEqualTo("done");

        assertThat(page.text("result-title")).isEqualTo("Loaded");
        assertThat(page.attribute("summary-mapping", "data-value")).isEqualTo("{\"map\":[\"Full Name:name\","
                + "\"E-mail Address:email\",\"Signed Up:created_at\"],\"match\":\"exact\",\"unknownFields\":\"reject\"}");
        List<Map<String, Object>> rows = this.jdbc
            .sql("select name, email, (created_at at time zone 'UTC')::text as created from public." + this.table
                    + " order by id")
            .query()
            .listOfRows();
        assertThat(rows).containsExactly(
                Map.of("name", "Ann Map", "email", "ann.map@example.com", "created", "2024-01-02 10:00:00"),
                Map.of("name", "Bob Map", "email", "bob.map@example.com", "created", "2024-03-04 11:30:00"));
    }

    @Test
    void anIgnoredFieldIsDroppedAndTheRestLoads() throws IOException {
        Path file = this.files.resolve("with-extra.csv");
        Files.writeString(file, "name,email,trace_id\nAnn Extra,ann.extra@example.com,t1\n", StandardCharsets.UTF_8);
        LoadPage page = LoadPage.open(this.browser, this.port);

        page.choose("public." + this.table, file);
        assertThat(page.unmatchedFields()).containsExactly("trace_id");
        page.column("trace_id").selectByValue("");
        page.byId("load").click();
        assertThat(page.awaitEnd()).as(page.text("problem")).isEqualTo("done");

        assertThat(page.attribute("summary-mapping", "data-value"))
            .isEqualTo("{\"map\":[\"trace_id:\"],\"match\":\"exact\",\"unknownFields\":\"ignore\"}");
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void gzippedNdjsonAndATabSeparatedFileArePreviewed() throws IOException {
        Path ndjson = this.files.resolve("events.ndjson.gz");
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(("{\"name\":\"Ann Gz\",\"email\":\"ann.gz@example.com\",\"meta\":{\"a\":1}}\n"
                    + "{\"name\":\"Bob Gz\",\"email\":\"bob.gz@example.com\"}\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(ndjson, compressed.toByteArray());
        Path tsv = this.files.resolve("people.tsv");
        Files.writeString(tsv, "name\temail\nTess Tab\ttess.tab@example.com\n", StandardCharsets.UTF_8);
        LoadPage page = LoadPage.open(this.browser, this.port);

        page.choose("public." + this.table, ndjson);
        assertThat(page.select("format").getFirstSelectedOption().getAttribute("value")).isEqualTo("ndjson");
        assertThat(page.previewFields()).containsExactly("name", "email", "meta");
        assertThat(page.previewRows().get(0)).containsExactly("Ann Gz", "ann.gz@example.com", "{\"a\":1}");
        page.column("meta").selectByValue("");
        page.byId("load").click();
        assertThat(page.awaitEnd()).as(page.text("problem")).isEqualTo("done");
        assertThat(count()).isEqualTo(2);

        page.labelled("File").sendKeys(tsv.toAbsolutePath().toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> page.previewFields().equals(List.of("name", "email")));
        assertThat(page.select("format").getFirstSelectedOption().getAttribute("value")).isEqualTo("csv");
        assertThat(page.select("delimiter").getFirstSelectedOption().getAttribute("value")).isEqualTo("\\t");
        page.byId("load").click();
        assertThat(page.awaitEnd()).as(page.text("problem")).isEqualTo("done");
        assertThat(count()).isEqualTo(3);
    }

    @Test
    void aFileWithoutHeaderRowHasItsFieldsByPositionAndOneIgnored() throws IOException {
        Path file = this.files.resolve("no-header.csv");
        Files.writeString(file, "Ann NoHeader|ann.nh@example.com|x1\nBob NoHeader|bob.nh@example.com|x2\n",
                StandardCharsets.UTF_8);
        LoadPage page = LoadPage.open(this.browser, this.port);

        page.choose("public." + this.table, file);
        assertThat(page.byId("header").isSelected()).as("a first record holding an e-mail is data").isFalse();
        assertThat(page.select("delimiter").getFirstSelectedOption().getAttribute("value")).isEqualTo("|");
        assertThat(page.previewFields()).containsExactly("field 1", "field 2", "field 3");
        assertThat(page.previewRows()).hasSize(2);
        assertThat(page.unmatchedFields()).containsExactly("field 1", "field 2", "field 3");
        page.column("field 1").selectByValue("name");
        page.column("field 2").selectByValue("email");
        page.column("field 3").selectByValue("");
        page.byId("load").click();
        assertThat(page.awaitEnd()).as(page.text("problem") + " " + page.text("problem-detail")).isEqualTo("done");

        assertThat(this.jdbc.sql("select name || ' ' || email from public." + this.table + " order by id")
            .query(String.class)
            .list()).containsExactly("Ann NoHeader ann.nh@example.com", "Bob NoHeader bob.nh@example.com");
    }

    @Test
    void enterInTheCredentialsFieldReloadsTheTablesWithoutStartingALoad() throws IOException {
        Path file = this.files.resolve("users.csv");
        Files.writeString(file, "name,email\nAnn Enter,ann.enter@example.com\n", StandardCharsets.UTF_8);
        LoadPage page = LoadPage.open(this.browser, this.port);
        page.choose("public." + this.table, file);
        String later = new TestTables(this.jdbc).users();

        page.byId("credentials").findElement(By.tagName("summary")).click();
        page.byId("auth-secret").sendKeys("some-key", Keys.ENTER);

        await().atMost(Duration.ofSeconds(20)).until(() -> page.offersTable("public." + later));
        assertThat(page.state()).as("the load form was not submitted").isEqualTo("idle");
        assertThat(page.byId("result").isDisplayed()).isFalse();
        assertThat(count()).isZero();
        assertThat(page.select("table").getFirstSelectedOption().getAttribute("value"))
            .as("the chosen table stays chosen").isEqualTo("public." + this.table);
    }

    @Test
    void theMatchKeyIsAChoiceOfTheTablesKeysLabelledApartFromTheApiKey() throws IOException {
        LoadPage page = LoadPage.open(this.browser, this.port);
        page.select("table").selectByValue("public." + this.table);

        assertThat(page.labelled("Match rows on (upsert/update key)").getTagName()).isEqualTo("select");
        assertThat(page.labelled("API key or token").getAttribute("type")).isEqualTo("password");
        assertThat(this.browser.driver.findElements(By.xpath("//label[normalize-space()='Key']")))
            .isEmpty();
        assertThat(page.select("key").getOptions()).extracting((o) -> o.getAttribute("value"), (o) -> o.getText())
            .containsExactly(org.assertj.core.groups.Tuple.tuple("", "primary key (id)"),
                    org.assertj.core.groups.Tuple.tuple("email", "unique (email)"));
        assertThat(page.byId("key").isEnabled()).isFalse();
        page.select("mode").selectByValue("upsert");
        assertThat(page.byId("key").isEnabled()).isTrue();
    }

    @Test
    void onANarrowScreenEachRejectIsACardWithItsRawTextUnbroken() throws IOException {
        this.browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(375, 900));
        Path file = this.files.resolve("narrow.csv");
        String longRaw = "A very long name that would wrap on a phone screen,";
        Files.writeString(file, "name,email\nAnn Narrow,ann.narrow@example.com\n" + longRaw + "\n",
                StandardCharsets.UTF_8);
        LoadPage page = LoadPage.open(this.browser, this.port);
        page.choose("public." + this.table, file);
        page.select("onError").selectByValue("skip");
        page.byId("load").click();
        assertThat(page.awaitEnd()).as(page.text("problem")).isEqualTo("done");

        assertThat(page.text("result-title")).isEqualTo("Loaded with 1 rejected");
        assertThat(this.browser.script("return getComputedStyle(document.querySelector('#rejects tbody tr')).display"))
            .isEqualTo("block");
        assertThat(this.browser.script("return getComputedStyle(document.querySelector('#rejects thead')).position"))
            .as("the column heads are for screen readers only").isEqualTo("absolute");
        WebElement raw = page.byId("rejects").findElement(By.cssSelector("td.raw code"));
        assertThat(raw.getText()).isEqualTo(longRaw);
        assertThat(this.browser.script("return getComputedStyle(arguments[0]).whiteSpace", raw)).isEqualTo("pre");
        assertThat(page.byId("rejects").findElement(By.cssSelector("td.message")).getText())
            .startsWith("A required value is missing.").contains("email");
        Number overflow = (Number) this.browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow.intValue()).as("horizontal overflow at 375 px").isLessThanOrEqualTo(0);
        this.browser.script("document.getElementById('result').scrollIntoView()");
        this.browser.screenshot("load-page-375px-rejects");
    }

    private long count() {
        return new TestTables(this.jdbc).count(this.table);
    }
}
