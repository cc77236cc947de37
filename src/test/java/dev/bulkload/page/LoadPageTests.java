package dev.bulkload.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;

/**
 * The load page at {@code /} in headless Chromium: a table and a file chosen, Load pressed, the bytes-sent bar, the
 * report's counts against the database's, the rejects as a table and, with the load registry, rows progress and the
 * download of every reject.
 */
@BulkLoaderTest
class LoadPageTests {

    /** Records 5, 11 and 17 are bad: a NULL e-mail, a repeated e-mail, a NULL name. */
    private static final List<Long> BAD_RECORDS = List.of(5L, 11L, 17L);

    private static final int RECORDS = 20;

    /** Keeps what the page's progress bar and rows line show, as they change. */
    private static final String RECORD_PROGRESS = """
            window.seenPercent = []; window.seenRows = [];
            new MutationObserver(() => window.seenPercent.push(
                    Number(document.getElementById('upload-progress').dataset.percent)))
                .observe(document.getElementById('upload-progress'), { attributes: true, attributeFilter: ['data-percent'] });
            new MutationObserver(() => {
                    const rows = document.getElementById('rows-text').dataset.rowsReceived;
                    if (rows !== undefined) { window.seenRows.push(Number(rows)); }
                })
                .observe(document.getElementById('rows-text'), { attributes: true, attributeFilter: ['data-rows-received'] });
            """;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path files;

    Browser browser;

    String table;

    @BeforeEach
    void openPage() {
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
    void csvWithBadRowsLoadsTheGoodOnesAndListsExactlyTheBadOnes() throws IOException {
        Path csv = usersWithBadRows();
        open();

        choose(csv, "skip");
        this.browser.screenshot("load-page-idle");
        pressLoadWithTheKeyboard();
        awaitState("done");

        assertThat(this.browser.script("return window.seenPercent")).asList().isNotEmpty();
        assertThat(attribute("upload-progress", "data-percent")).isEqualTo("100");
        long inDatabase = count();
        assertThat(inDatabase).isEqualTo(RECORDS - BAD_RECORDS.size());
        assertThat(summary("rowsReceived")).isEqualTo(RECORDS);
        assertThat(summary("rowsInserted")).isEqualTo(inDatabase);
        assertThat(summary("rowsRejected")).isEqualTo(BAD_RECORDS.size());
        List<WebElement> rejects = this.browser.driver.findElements(By.cssSelector("#rejects tbody tr"));
        assertThat(rejects).extracting((row) -> Long.valueOf(row.getAttribute("data-record")))
            .containsExactlyElementsOf(BAD_RECORDS);
        List<String> first = rejects.get(0).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(first).hasSize(5);
        assertThat(first.subList(0, 3)).containsExactly("5", "6", "email");
        assertThat(first.get(3)).contains("email");
        assertThat(first.get(4)).isEqualTo("Eve Five,");
        this.browser.script("document.getElementById('progress-section').scrollIntoView()");
        this.browser.screenshot("load-page-rejects");
    }

    @Test
    void failedLoadShowsTheProblemAndLeavesNoRow() throws IOException {
        Path csv = usersWithBadRows();
        open();

        choose(csv, "abort");
        this.browser.driver.findElement(By.id("load")).click();
        awaitState("failed");

        assertThat(this.browser.driver.findElement(By.id("result-title")).getText()).isEqualTo("Failed");
        assertThat(this.browser.driver.findElement(By.id("problem")).getText())
            .isEqualTo("The database refused a row, so nothing was loaded. Check lists every bad row; On a bad row: "
                    + "skip loads the good ones.");
        assertThat(this.browser.driver.findElement(By.id("problem-detail")).getText())
            .startsWith("The service said: Row rejected by the database:")
            .contains("record 5", "line 6", "column email");
        assertThat(this.browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("result");
        assertThat(count()).isZero();
    }

    @Test
    void aWrappedJsonFileWithDayFirstDatesLoadsAndTheReportSaysHow() throws IOException {
        Path json = this.files.resolve("page.json");
        Files.writeString(json, "{\"page\": 1, \"data\": [{\"name\": \"Ann\", \"email\": \"ann@example.com\", "
                + "\"created_at\": \"31/12/2024 10:00+00\"}], \"next\": null}", StandardCharsets.UTF_8);
        open();

        choose(json, "abort");
        labelledControl("Records path").sendKeys("/data");
        new Select(labelledControl("Dates read as")).selectByValue("DMY");
        pressLoadWithTheKeyboard();
        awaitState("done");

        assertThat(attribute("summary-options", "data-value")).isEqualTo("recordsPath=/data&dateStyle=DMY");
        assertThat(this.browser.driver.findElement(By.id("summary-options")).getText())
            .isEqualTo("recordsPath=/data, dateStyle=DMY");
        assertThat(this.jdbc.sql("select (created_at at time zone 'UTC')::text from " + this.table)
            .query(String.class)
            .single()).isEqualTo("2024-12-31 10:00:00");
    }

    @Test
    void aFileInAnotherCharsetLoadsWithTheCharsetChosen() throws IOException {
        Path csv = this.files.resolve("excel-export.csv");
        Files.write(csv, "name,email\nJürgen Weiß,jw@example.com\nZoë “Z” €,zoe@example.com\n"
            .getBytes(Charset.forName("windows-1252")));
        open();

        choose(csv, "abort");
        new Select(labelledControl("Character set")).selectByValue("windows-1252");
        this.browser.driver.findElement(By.id("load")).click();
        awaitState("done");

        assertThat(this.jdbc.sql("select name from " + this.table + " order by id").query(String.class).list())
            .containsExactly("Jürgen Weiß", "Zoë “Z” €");
    }

    /**
     * A registry as the page sees it through {@code fetch}: one load already running before the upload, then this
     * upload's load with rising counts. The real registry's rows progress is {@link
     * #loadPageShowsRowsProgressFromTheLoadRegistry}; this one checks the page's side on any branch.
     */
    private static final String STUB_REGISTRY = """
            const realFetch = window.fetch;
            let lists = 0, rows = 0;
            const json = (body) => Promise.resolve(new Response(JSON.stringify(body),
                    { status: 200, headers: { 'Content-Type': 'application/json' } }));
            const older = { id: 'older', status: 'running', startedAt: '2020-01-01T00:00:00Z', rowsReceived: 7 };
            // started after this upload, by someone else: only the Idempotency-Key tells it from ours
            const other = { id: 'other', status: 'running', startedAt: '2031-01-01T00:00:00Z', rowsReceived: 9,
                    idempotencyKey: 'someone-else' };
            window.sentKeys = [];
            const realSetHeader = XMLHttpRequest.prototype.setRequestHeader;
            XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
                if (name === 'Idempotency-Key') { window.sentKeys.push(value.replace(/"/g, '')); }
                return realSetHeader.call(this, name, value);
            };
            window.fetch = (url, options) => {
                const path = String(url);
                if (path.startsWith('api/v1/loads?')) {
                    lists++;
                    const ours = { id: 'ours', status: 'running', startedAt: '2030-01-01T00:00:00Z', rowsReceived: 1,
                            idempotencyKey: window.sentKeys[0] };
                    return json({ loads: lists === 1 ? [older] : [other, ours, older], next: null });
                }
                if (path === 'api/v1/loads/ours') {
                    rows += 1000;
                    return json({ id: 'ours', status: 'running', rowsReceived: rows, rowsInserted: rows,
                            rowsPerSecond: 5000 });
                }
                return realFetch(url, options);
            };
            """;

    @Test
    void rowsProgressComesFromThisUploadsLoadInTheRegistry() throws IOException {
        // long enough (seconds, bound by the database) for the page's polls every 500 ms
        Path file = fiftyMegabytes();
        open();
        this.browser.script(STUB_REGISTRY);

        choose(file, "abort");
        this.browser.driver.findElement(By.id("load")).click();
        awaitState("done");

        @SuppressWarnings("unchecked")
        List<Long> rows = (List<Long>) this.browser.script("return window.seenRows");
        assertThat(rows).as("rows of this upload's load, never one running before it or another client's")
            .isNotEmpty()
            .doesNotContain(7L, 9L)
            .contains(1000L)
            .isSorted();
        assertThat(this.browser.driver.findElement(By.id("rows-text")).getText()).contains("rows received",
                "5,000 rows/s", "one transaction: the rows commit when the load ends")
            .as("an atomic load commits nothing before its end: no count of inserted rows stuck at 0")
            .doesNotContain("inserted");
    }

    @Test
    void fiftyMegabyteUploadReportsIntermediateProgress() throws IOException {
        Path big = fiftyMegabytes();
        open();

        choose(big, "abort");
        this.browser.driver.findElement(By.id("load")).click();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> percents().stream().anyMatch((p) -> p > 0 && p < 100));
        this.browser.screenshot("load-page-loading");
        awaitState("done");

        List<Long> seen = percents();
        assertThat(seen).as("progress values seen").filteredOn((p) -> p > 0 && p < 100).isNotEmpty();
        assertThat(seen).isSorted().endsWith(100L);
        assertThat(summary("rowsInserted")).isEqualTo(count()).isEqualTo(FIFTY_MB_ROWS);
    }

    @Test
    void loadPageShowsRowsProgressFromTheLoadRegistry() throws IOException {
        Path big = fiftyMegabytes();
        open();

        choose(big, "abort");
        this.browser.driver.findElement(By.id("load")).click();
        awaitState("done");

        @SuppressWarnings("unchecked")
        List<Long> rows = (List<Long>) this.browser.script("return window.seenRows");
        assertThat(rows).as("rows received while loading").anyMatch((n) -> n > 0 && n < FIFTY_MB_ROWS);
    }

    @Test
    void rejectsDownloadLinkNamesTheLoadJustRun() throws IOException {
        Path csv = usersWithBadRows();
        open();

        choose(csv, "skip");
        this.browser.driver.findElement(By.id("load")).click();
        awaitState("done");

        String id = new LoadClient(this.port).get("/api/v1/loads?table=" + this.table + "&limit=1")
            .json().get("loads").get(0).get("id").asString();
        WebElement link = this.browser.driver.findElement(By.id("rejects-download"));
        assertThat(link.isDisplayed()).isTrue();
        assertThat(link.getText()).isEqualTo("Download all rejects (CSV)");
        assertThat(link.getAttribute("href")).endsWith("/api/v1/loads/" + id + "/rejects");
    }

    @Test
    void rejectsDownloadHoldsEveryBadRecord() throws IOException {
        Path csv = usersWithBadRows();
        open();

        choose(csv, "skip");
        this.browser.driver.findElement(By.id("load")).click();
        awaitState("done");

        WebElement link = this.browser.driver.findElement(By.id("rejects-download"));
        assertThat(link.isDisplayed()).isTrue();
        assertThat(link.getText()).isEqualTo("Download all rejects (CSV)");
        String downloaded = (String) this.browser.asyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then((r) => r.text()).then(done);",
                link.getAttribute("href"));
        List<String> lines = downloaded.lines().toList();
        assertThat(lines.get(0)).startsWith("record,line,column");
        // a record's raw text ends in its line break, so a quoted raw field runs onto the next line
        assertThat(lines.subList(1, lines.size()).stream().filter((line) -> line.matches("\\d+,.*")))
            .extracting((line) -> Long.valueOf(line.split(",")[0]))
            .containsExactlyElementsOf(BAD_RECORDS);
    }

    @Test
    void theRejectedRecordsDownloadIsAFileToFixAndLoadAgain() throws IOException {
        Path csv = usersWithBadRows();
        open();

        choose(csv, "skip");
        this.browser.driver.findElement(By.id("load")).click();
        awaitState("done");

        WebElement link = this.browser.driver.findElement(By.id("rejects-records"));
        assertThat(link.isDisplayed()).isTrue();
        assertThat(link.getAttribute("href")).endsWith("/rejects?form=records");
        String downloaded = (String) this.browser.asyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then((r) => r.text()).then(done);",
                link.getAttribute("href"));
        // the file's own header, then the bad records as the file had them, one a line
        assertThat(downloaded.lines().toList()).containsExactly("name,email", "Eve Five,", "Repeat,person2@example.com",
                ",nameless@example.com");
    }

    @Test
    void aRenamedHeaderLoadsWithTheMappingTheReportShows() throws IOException {
        Path csv = this.files.resolve("renamed.csv");
        Files.writeString(csv, "Full Name,E-mail Address,trace_id\nAnn,ann.page@example.com,t1\n"
                + "Bob,bob.page@example.com,t2\n", StandardCharsets.UTF_8);
        open();
        choose(csv, "abort");
        await().atMost(Duration.ofSeconds(20)).until(() -> !this.browser.driver.findElements(By.id("map-2")).isEmpty());
        new Select(labelledControl("Full Name")).selectByValue("name");
        new Select(labelledControl("E-mail Address")).selectByValue("email");
        new Select(labelledControl("trace_id")).selectByValue("");
        pressLoadWithTheKeyboard();
        awaitState("done");

        assertThat(count()).isEqualTo(2);
        assertThat(attribute("summary-mapping", "data-value"))
            .isEqualTo("{\"map\":[\"Full Name:name\",\"E-mail Address:email\",\"trace_id:\"],\"match\":\"exact\","
                    + "\"unknownFields\":\"ignore\"}");
        assertThat(this.browser.driver.findElement(By.id("summary-mapping")).getText())
            .isEqualTo("map Full Name \u2192 name, E-mail Address \u2192 email, trace_id dropped; exact names; "
                    + "unknown fields ignored");
    }

    @Test
    void extraMapEntriesAndLooseMatchingStillReachTheService() throws IOException {
        Path json = this.files.resolve("nested.ndjson");
        Files.writeString(json, "{\"user\":{\"name\":\"Ann Nested\"},\"E-Mail\":\"ann.nested@example.com\"}\n",
                StandardCharsets.UTF_8);
        open();
        choose(json, "abort");
        this.browser.driver.findElement(By.cssSelector("#more-options summary")).click();
        labelledControl("Map fields").sendKeys("/user/name:name");
        new Select(labelledControl("Match names")).selectByValue("loose");
        new Select(labelledControl("user")).selectByValue("");
        this.browser.driver.findElement(By.id("load")).click();
        awaitState("done");

        assertThat(this.jdbc.sql("select name || ' ' || email from " + this.table).query(String.class).single())
            .isEqualTo("Ann Nested ann.nested@example.com");
        assertThat(attribute("summary-mapping", "data-value")).contains("\"/user/name:name\"", "\"loose\"");
    }

    @Test
    void controlsAreLabelledAndFitA360PixelScreen() throws IOException {
        this.browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(360, 800));
        open();

        assertThat(labelledControl("Table").getTagName()).isEqualTo("select");
        assertThat(labelledControl("File").getAttribute("type")).isEqualTo("file");
        assertThat(this.browser.driver.findElement(By.id("load")).getText()).isEqualTo("Load");
        Number overflow = (Number) this.browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow.intValue()).as("horizontal overflow at 360 px: " + this.browser.script(
                "return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > "
                        + "document.documentElement.clientWidth).map((e) => e.tagName + '#' + e.id + '.' + e.className"
                        + " + ':' + Math.round(e.getBoundingClientRect().right)).join(' ')"))
            .isLessThanOrEqualTo(0);
        this.browser.screenshot("load-page-360px");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private void open() {
        this.browser.driver.get("http://localhost:" + this.port + "/");
        await().atMost(Duration.ofSeconds(20)).until(() -> new Select(
                this.browser.driver.findElement(By.id("table"))).getOptions().size() > 1);
        this.browser.script(RECORD_PROGRESS);
    }

    private void choose(Path file, String onError) {
        new Select(labelledControl("Table")).selectByValue("public." + this.table);
        labelledControl("File").sendKeys(file.toAbsolutePath().toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String info = this.browser.driver.findElement(By.id("preview-info")).getText();
            return !info.isEmpty() && !info.startsWith("Reading");
        });
        new Select(this.browser.driver.findElement(By.id("onError"))).selectByValue(onError);
    }

    /** Tabs from the last option to the Load button and presses Enter, as a keyboard user would. */
    private void pressLoadWithTheKeyboard() {
        WebElement dryRun = this.browser.driver.findElement(By.id("dryRun"));
        dryRun.sendKeys(Keys.TAB);
        List<String> passed = new java.util.ArrayList<>();
        for (int tab = 0; tab < 3 && !"load".equals(activeId()); tab++) {
            passed.add(activeId());
            this.browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(activeId()).as("reached after " + passed).isEqualTo("load");
        assertThat(passed).as("the More summary and Check come before Load").containsExactly("", "check");
        this.browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    }

    private String activeId() {
        return this.browser.driver.switchTo().activeElement().getAttribute("id");
    }

    private WebElement labelledControl(String label) {
        WebElement element = this.browser.driver.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
        return this.browser.driver.findElement(By.id(element.getAttribute("for")));
    }

    private void awaitState(String state) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
            .until(() -> List.of(state, "done", "failed").contains(bodyState()));
        if (!state.equals(bodyState())) {
            throw new AssertionError("The page ended '" + bodyState() + "', not '" + state + "': "
                    + this.browser.script("return document.getElementById('problem').textContent"));
        }
    }

    private String bodyState() {
        return this.browser.driver.findElement(By.tagName("body")).getAttribute("data-state");
    }

    @SuppressWarnings("unchecked")
    private List<Long> percents() {
        return (List<Long>) this.browser.script("return window.seenPercent");
    }

    private String attribute(String id, String name) {
        return this.browser.driver.findElement(By.id(id)).getAttribute(name);
    }

    private long summary(String field) {
        return Long.parseLong(attribute("summary-" + field, "data-value"));
    }

    private long count() {
        return new TestTables(this.jdbc).count(this.table);
    }

    private Path usersWithBadRows() throws IOException {
        StringBuilder csv = new StringBuilder("name,email\n");
        for (int record = 1; record <= RECORDS; record++) {
            if (record == 5) {
                csv.append("Eve Five,\n");
            }
            else if (record == 11) {
                csv.append("Repeat,person2@example.com\n");
            }
            else if (record == 17) {
                csv.append(",nameless@example.com\n");
            }
            else {
                csv.append("Person ").append(record).append(",person").append(record).append("@example.com\n");
            }
        }
        Path file = this.files.resolve("users-with-bad-rows.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private static final long FIFTY_MB_ROWS = 1_000_000;

    /** A million users, about 55 MB. */
    private Path fiftyMegabytes() throws IOException {
        Path file = users(FIFTY_MB_ROWS, "fifty-megabytes.csv");
        assertThat(Files.size(file)).isGreaterThan(50L * 1024 * 1024);
        return file;
    }

    private Path users(long count, String name) throws IOException {
        Path file = this.files.resolve(name);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("name,email\n");
            for (long i = 1; i <= count; i++) {
                out.write("Person number ");
                out.write(Long.toString(i));
                out.write(",person.number.");
                out.write(Long.toString(i));
                out.write("@example.com\n");
            }
        }
        return file;
    }
}
