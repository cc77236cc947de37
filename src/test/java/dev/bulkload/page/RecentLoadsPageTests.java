package dev.bulkload.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

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
 * Recent loads on the load page, with authentication on: a slow load started in one page is seen running with
 * rising counts in a second page, cancelled there, and shown cancelled in both; the list holds only loads of tables
 * the key may read; a finished load opens its report and its rejects downloads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true", "bulkload.load.batch-size=100" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class RecentLoadsPageTests {

    private static final String OPS_KEY = "recent-ops-4f1c2a";

    private static final String FEED_KEY = "recent-feed-9b03d7";

    @DynamicPropertySource
    static void apiKeys(DynamicPropertyRegistry registry) {
        registry.add("bulkload.security.api-keys[0].name", () -> "ops");
        registry.add("bulkload.security.api-keys[0].sha256", () -> sha256(OPS_KEY));
        registry.add("bulkload.security.api-keys[0].tables[0]", () -> "public.*");
        registry.add("bulkload.security.api-keys[1].name", () -> "feed");
        registry.add("bulkload.security.api-keys[1].sha256", () -> sha256(FEED_KEY));
        registry.add("bulkload.security.api-keys[1].tables[0]", () -> "public.feed_*");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path files;

    Browser first;

    Browser second;

    @AfterEach
    void closeBrowsers() {
        if (this.first != null) {
            this.first.close();
        }
        if (this.second != null) {
            this.second.close();
        }
    }

    @Test
    void aSlowLoadStartedInOnePageIsFollowedAndCancelledInAnotherAndShownCancelledInBoth() throws IOException {
        TestTables tables = new TestTables(this.jdbc);
        // every row takes 5 ms to insert: 3,000 rows in chunks of 100 run for 15 s, their counts rising
        String table = tables.create("slow", "id int primary key, name text not null");
        this.jdbc.sql("create or replace function public.recent_slow_row() returns trigger language plpgsql as "
                + "$$ begin perform pg_sleep(0.005); return new; end $$").update();
        this.jdbc.sql("create trigger slow before insert on public." + table
                + " for each row execute function public.recent_slow_row()").update();
        // an earlier load with rejects, uploaded by a colleague's client
        LoadClient.Response earlier = new LoadClient(this.port).upload(table, "onError=skip", "march.csv", "text/csv",
                "id,name\n1,Ann\n2,\n3,Cy\n".getBytes(StandardCharsets.UTF_8), "X-API-Key", OPS_KEY);
        assertThat(earlier.status()).as(earlier.body()).isEqualTo(200);
        this.jdbc.sql("delete from public." + table).update();
        StringBuilder csv = new StringBuilder("id,name\n");
        for (int i = 1; i <= 3000; i++) {
            csv.append(i).append(",name ").append(i).append('\n');
        }
        Path file = this.files.resolve("april.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);

        this.first = Browser.open(1100, 1400);
        openWithKey(this.first, OPS_KEY);
        new Select(this.first.driver.findElement(By.id("table"))).selectByValue("public." + table);
        this.first.driver.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        this.first.driver.findElement(By.id("load")).click();

        this.second = Browser.open(1100, 1400);
        openWithKey(this.second, OPS_KEY);
        String running = "#recent-table tbody tr[data-status='running']";
        WebElement row = await().atMost(Duration.ofSeconds(30))
            .until(() -> this.second.driver.findElements(By.cssSelector(running)).stream().findFirst().orElse(null),
                    (found) -> found != null);
        assertThat(row.findElement(By.cssSelector(".recent-table")).getText()).isEqualTo("public." + table);
        assertThat(row.findElement(By.cssSelector(".recent-who")).getText()).isEqualTo("ops");
        assertThat(row.findElement(By.cssSelector("progress")).isDisplayed()).isTrue();
        assertThat(this.second.driver.findElements(By.cssSelector("#recent-table tbody tr:not([data-status='running']) "
                + "progress"))).noneMatch(WebElement::isDisplayed);
        long seen = rows(this.second, running);
        // live progress: the counts rise while the page refreshes itself
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(this.second, running) > seen);
        this.second.script("document.getElementById('recent-loads').scrollIntoView()");
        this.second.screenshot("recent-loads");

        this.second.driver.findElement(By.cssSelector(running + " .recent-cancel")).click();

        String cancelled = "#recent-table tbody tr[data-status='cancelled']";
        await().atMost(Duration.ofSeconds(30))
            .until(() -> !this.second.driver.findElements(By.cssSelector(cancelled)).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(this.first.driver
            .findElement(By.tagName("body")).getAttribute("data-state")));
        assertThat(this.first.driver.findElement(By.id("problem")).getText()).containsIgnoringCase("cancel");
        await().atMost(Duration.ofSeconds(30))
            .until(() -> !this.first.driver.findElements(By.cssSelector(cancelled)).isEmpty());
        assertThat(this.first.driver.findElement(By.cssSelector(cancelled + " .recent-state")).getText())
            .isEqualTo("cancelled");
        assertThat(this.first.driver.findElements(By.cssSelector(cancelled + " .recent-cancel")).get(0).isDisplayed())
            .isFalse();
        assertThat(new TestTables(this.jdbc).count(table)).isZero();

        // the earlier load opens its report and offers both rejects downloads
        WebElement earlierRow = this.second.driver.findElement(
                By.cssSelector("#recent-table tbody tr[data-id='" + earlier.text("id") + "']"));
        assertThat(earlierRow.findElement(By.cssSelector(".recent-state")).getText()).isEqualTo("loaded, 1 rejected");
        earlierRow.findElement(By.cssSelector(".recent-open")).click();
        WebElement report = this.second.driver.findElement(By.id("recent-report"));
        await().atMost(Duration.ofSeconds(10)).until(report::isDisplayed);
        assertThat(this.second.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("recent-report-title");
        assertThat(report.getText()).contains("march.csv", "Rejected", "1");
        WebElement records = this.second.driver.findElement(By.id("recent-rejects-records"));
        assertThat(records.getAttribute("download")).isEqualTo(table + "-rejects-march.csv");
        // the link's download, fetched as the page fetches it with the key
        String body = (String) this.second.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], { headers: { 'X-API-Key': arguments[1] } })
                    .then((r) => r.text()).then((text) => done(JSON.stringify(text)), (e) => done('error ' + e));
                """, records.getAttribute("href"), OPS_KEY);
        // as JSON, so that the line breaks come back from the browser as they were sent
        assertThat(body).isEqualTo("\"id,name\\r\\n2,\\r\\n\"");
    }

    @Test
    void recentLoadsListOnlyTheTablesTheKeyMayRead() throws IOException {
        TestTables tables = new TestTables(this.jdbc);
        String fed = tables.create("feed_orders", "id int primary key");
        String other = tables.create("payroll", "id int primary key");
        LoadClient client = new LoadClient(this.port);
        String fedLoad = client.load(fed, "", "text/csv", "id\n1\n", "X-API-Key", OPS_KEY).text("id");
        String otherLoad = client.load(other, "", "text/csv", "id\n1\n", "X-API-Key", OPS_KEY).text("id");

        this.first = Browser.open(360, 900);
        this.first.driver.get("http://localhost:" + this.port + "/");
        await().atMost(Duration.ofSeconds(20)).until(() -> this.first.driver.findElement(By.id("recent-status"))
            .getText()
            .contains("credentials"));
        assertThat(this.first.driver.findElements(By.cssSelector("#recent-table tbody tr"))).isEmpty();

        this.first.driver.findElement(By.id("auth-secret")).sendKeys(FEED_KEY);
        this.first.driver.findElement(By.id("reload-tables")).click();

        await().atMost(Duration.ofSeconds(20)).until(() -> !this.first.driver
            .findElements(By.cssSelector("#recent-table tbody tr[data-id='" + fedLoad + "']"))
            .isEmpty());
        List<String> listed = this.first.driver.findElements(By.cssSelector("#recent-table tbody tr")).stream()
            .map((tr) -> tr.getAttribute("data-id"))
            .toList();
        assertThat(listed).contains(fedLoad).doesNotContain(otherLoad);
        assertThat(this.first.driver.findElements(By.cssSelector("#recent-table tbody .recent-table")).stream()
            .map(WebElement::getText)).allMatch((name) -> name.startsWith("public.feed_"));
        // readable at 360 px: one card per load, nothing wider than the screen
        assertThat((Long) this.first.script("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(360L);
        assertThat(this.first.script("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
        this.first.script("document.getElementById('recent-loads').scrollIntoView()");
        this.first.screenshot("recent-loads-360px");
    }

    private void openWithKey(Browser browser, String key) {
        browser.driver.get("http://localhost:" + this.port + "/");
        await().atMost(Duration.ofSeconds(20))
            .until(() -> browser.driver.findElement(By.id("recent-status")).getText().contains("credentials"));
        browser.script("document.getElementById('credentials').open = true");
        browser.driver.findElement(By.id("auth-secret")).sendKeys(key);
        browser.driver.findElement(By.id("reload-tables")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> new Select(browser.driver.findElement(By.id("table")))
            .getOptions()
            .size() > 1);
    }

    private static long rows(Browser browser, String row) {
        return browser.driver.findElements(By.cssSelector(row + " .recent-rows")).stream()
            .map((cell) -> Long.parseLong(cell.getAttribute("data-value")))
            .findFirst()
            .orElse(-1L);
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
