package dev.bulkload.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;

/**
 * A file into a table that does not exist yet: New table…, the name proposed from the file name, the columns and
 * types proposed by the service's dry run with {@code create=true}, one type changed by the person, then Load.
 */
@BulkLoaderTest
class NewTablePageTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path files;

    Browser browser;

    @BeforeEach
    void openBrowser() {
        this.browser = Browser.open(1100, 1400);
    }

    @AfterEach
    void closeBrowser() {
        if (this.browser != null) {
            this.browser.close();
        }
    }

    @Test
    void aFileBecomesANewTableWithTheTypesThePersonChose() throws IOException {
        String name = "page_orders_" + System.nanoTime() % 1_000_000;
        Path file = this.files.resolve(name + ".csv");
        Files.writeString(file, "Order Id,Amount,Placed On,E-mail Address\n"
                + "1,12.50,2024-01-02,ann.new@example.com\n"
                + "2,7.25,2024-01-03,bob.new@example.com\n"
                + "3,100,2024-02-29,cy.new@example.com\n", StandardCharsets.UTF_8);
        LoadPage page = LoadPage.open(this.browser, this.port);

        page.select("table").selectByVisibleText("New table…");
        page.labelled("File").sendKeys(file.toAbsolutePath().toString());
        page.awaitPreview();
        assertThat(page.byId("new-table-name").getAttribute("value")).isEqualTo(name);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> !"proposing".equals(page.attribute("new-table-status", "data-state")));
        assertThat(page.attribute("new-table-status", "data-state")).as(page.text("new-table-status"))
            .isEqualTo("proposed");
        assertThat(proposed()).containsExactly(
                List.of("Order Id", "order_id", "bigint"),
                List.of("Amount", "amount", "numeric"),
                List.of("Placed On", "placed_on", "date"),
                List.of("E-mail Address", "e_mail_address", "text"));
        assertThat(tableExists(name)).as("the proposal is a dry run").isFalse();

        page.byId("new-type-1").clear();
        page.byId("new-type-1").sendKeys("numeric(12,2)");
        page.byId("new-column-3").clear();
        page.byId("new-column-3").sendKeys("email");
        page.select("new-table-key").selectByValue("order_id");
        this.browser.script("document.getElementById('new-table-section').scrollIntoView()");
        this.browser.screenshot("load-page-new-table");
        page.byId("load").click();
        assertThat(page.awaitEnd()).as(page.text("problem") + " " + page.text("problem-detail")).isEqualTo("done");

        assertThat(page.text("result-title")).isEqualTo("Loaded");
        assertThat(page.text("summary-table")).isEqualTo("public." + name + " (created)");
        List<Map<String, Object>> columns = this.jdbc.sql("""
                select attname::text as name, format_type(atttypid, atttypmod) as type from pg_attribute
                where attrelid = ('public.' || :name)::regclass and attnum > 0 and not attisdropped order by attnum""")
            .param("name", name)
            .query()
            .listOfRows();
        assertThat(columns).containsExactly(Map.of("name", "order_id", "type", "bigint"),
                Map.of("name", "amount", "type", "numeric(12,2)"), Map.of("name", "placed_on", "type", "date"),
                Map.of("name", "email", "type", "text"));
        assertThat(this.jdbc.sql("select string_agg(order_id || ':' || amount || ':' || email, ',' order by order_id) "
                + "from public." + name).query(String.class).single())
            .isEqualTo("1:12.50:ann.new@example.com,2:7.25:bob.new@example.com,3:100.00:cy.new@example.com");
        assertThat(this.jdbc.sql("select count(*) from pg_constraint where conrelid = ('public.' || :name)::regclass "
                + "and contype = 'p'").param("name", name).query(Long.class).single()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> ("public." + name).equals(
                page.select("table").getFirstSelectedOption().getAttribute("value")));
    }

    @Test
    void anAtomicCreateWhoseLoadFailsLeavesNoTable() throws IOException {
        String name = "page_failing_" + System.nanoTime() % 1_000_000;
        Path file = this.files.resolve(name + ".csv");
        Files.writeString(file, "id,amount\n1,12.50\n2,not a number\n", StandardCharsets.UTF_8);
        LoadPage page = LoadPage.open(this.browser, this.port);

        page.select("table").selectByVisibleText("New table…");
        page.labelled("File").sendKeys(file.toAbsolutePath().toString());
        page.awaitPreview();
        await().atMost(Duration.ofSeconds(30))
            .until(() -> "proposed".equals(page.attribute("new-table-status", "data-state")));
        assertThat(page.byId("new-type-1").getAttribute("value")).isEqualTo("text");
        page.byId("new-type-1").clear();
        page.byId("new-type-1").sendKeys("numeric");
        page.byId("load").click();

        assertThat(page.awaitEnd()).isEqualTo("failed");
        assertThat(page.text("result-title")).isEqualTo("Failed");
        assertThat(page.text("problem")).startsWith("The database refused a row, so nothing was loaded.");
        assertThat(page.text("problem-detail")).contains("record 2", "column amount");
        assertThat(tableExists(name)).isFalse();
    }

    private List<List<String>> proposed() {
        return page().findElements(By.cssSelector("#new-columns tbody tr")).stream()
            .map((row) -> List.of(row.findElement(By.tagName("th")).getText(),
                    row.findElements(By.tagName("input")).get(0).getAttribute("value"),
                    row.findElements(By.tagName("input")).get(1).getAttribute("value")))
            .toList();
    }

    private org.openqa.selenium.WebElement page() {
        return this.browser.driver.findElement(By.tagName("body"));
    }

    private boolean tableExists(String name) {
        return this.jdbc.sql("select to_regclass('public.' || :name) is not null").param("name", name)
            .query(Boolean.class).single();
    }
}
