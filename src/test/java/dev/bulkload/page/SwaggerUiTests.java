package dev.bulkload.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.TestTables;

/**
 * Swagger UI as a new user meets it: Try it out, the table, a file, Execute; nothing else touched (so the examples
 * Swagger UI fills in are sent too).
 */
@BulkLoaderTest
class SwaggerUiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path files;

    Browser browser;

    @AfterEach
    void closeBrowser() {
        if (this.browser != null) {
            this.browser.close();
        }
    }

    @Test
    void switchingTheBodyToCsvShowsTheCsvExample() {
        this.browser = Browser.open(1280, 1600);
        this.browser.driver.get("http://localhost:" + this.port + "/swagger-ui.html");
        WebElement operation = loadOperation();
        operation.findElement(By.cssSelector(".opblock-summary")).click();
        await().until(() -> !operation.findElements(By.cssSelector("button.try-out__btn")).isEmpty());
        operation.findElement(By.cssSelector("button.try-out__btn")).click();

        new org.openqa.selenium.support.ui.Select(operation.findElement(
                By.cssSelector(".opblock-section-request-body select"))).selectByValue("text/csv");

        String body = await().atMost(Duration.ofSeconds(10))
            .until(() -> operation.findElements(By.cssSelector(".opblock-section-request-body textarea")).stream()
                .map((area) -> area.getAttribute("value"))
                .findFirst()
                .orElse(null), (text) -> text != null);
        assertThat(body).startsWith("name,email\n");
    }

    @Test
    void loadsComeFirstAndNoTableIsGivenAsAnExample() {
        this.browser = Browser.open(1280, 1600);
        this.browser.driver.get("http://localhost:" + this.port + "/swagger-ui.html");
        List<String> tags = await().atMost(Duration.ofSeconds(30))
            .until(() -> this.browser.driver.findElements(By.cssSelector(".opblock-tag")).stream()
                .map((tag) -> tag.getAttribute("data-tag"))
                .toList(), (names) -> names.size() >= 3);
        assertThat(tags.subList(0, 3)).containsExactly("Loads", "Load registry", "Tables");

        // a fresh database has no public.users: Try it out leaves the table to the user
        for (String path : List.of("/api/v1/tables/{table}/rows", "/api/v1/tables/{table}")) {
            WebElement operation = operation(path);
            operation.findElement(By.cssSelector(".opblock-summary")).click();
            await().until(() -> !operation.findElements(By.cssSelector("button.try-out__btn")).isEmpty());
            operation.findElement(By.cssSelector("button.try-out__btn")).click();
            WebElement table = operation.findElement(By.cssSelector("tr[data-param-name='table'] input"));
            assertThat(table.getAttribute("value")).as(path).isEmpty();
            assertThat(table.getAttribute("placeholder")).as(path).doesNotContain("users");
        }
    }

    private WebElement operation(String path) {
        return await().atMost(Duration.ofSeconds(30))
            .until(() -> this.browser.driver.findElements(By.cssSelector(".opblock")).stream()
                .filter((element) -> path.equals(element.findElement(By.cssSelector(".opblock-summary-path"))
                    .getAttribute("data-path")))
                .findFirst()
                .orElse(null), (element) -> element != null);
    }

    private WebElement loadOperation() {
        return await().atMost(Duration.ofSeconds(30))
            .until(() -> this.browser.driver.findElements(By.cssSelector("[id^='operations-Loads-']")).stream()
                .filter((element) -> element.getText().contains("/api/v1/tables/{table}/rows"))
                .findFirst()
                .orElse(null), (element) -> element != null);
    }

    /** The examples of recordsPath and dateStyle, as their descriptions give them, load on the first Execute. */
    @ParameterizedTest
    @CsvSource({ "application/json, wrapped, recordsPath, /data, 2", "text/csv, day-first dates, dateStyle, DMY, 2" })
    void theBodyExampleOfAParameterLoadsWithIt(String mediaType, String example, String parameter, String value,
            long rows) {
        this.browser = Browser.open(1280, 1600);
        String table = new TestTables(this.jdbc).users();
        this.browser.driver.get("http://localhost:" + this.port + "/swagger-ui.html");
        WebElement operation = loadOperation();
        operation.findElement(By.cssSelector(".opblock-summary")).click();
        await().until(() -> !operation.findElements(By.cssSelector("button.try-out__btn")).isEmpty());
        operation.findElement(By.cssSelector("button.try-out__btn")).click();
        operation.findElement(By.cssSelector("tr[data-param-name='table'] input"))
            .sendKeys(Keys.chord(Keys.CONTROL, "a"), table);
        WebElement input = operation.findElement(By.cssSelector("tr[data-param-name='" + parameter + "'] input, "
                + "tr[data-param-name='" + parameter + "'] select"));
        if (input.getTagName().equals("select")) {
            new Select(input).selectByValue(value);
        }
        else {
            input.sendKeys(value);
        }
        new Select(operation.findElement(By.cssSelector(".opblock-section-request-body select")))
            .selectByValue(mediaType);
        WebElement examples = await().atMost(Duration.ofSeconds(10))
            .until(() -> operation.findElements(By.cssSelector(".opblock-section-request-body .examples-select select"))
                .stream()
                .findFirst()
                .orElse(null), (select) -> select != null);
        new Select(examples).selectByValue(example);
        operation.findElement(By.cssSelector("button.execute")).click();

        String status = await().atMost(Duration.ofSeconds(30))
            .until(() -> operation.findElements(By.cssSelector(".live-responses-table tbody .response-col_status"))
                .stream()
                .map(WebElement::getText)
                .filter((text) -> !text.isBlank())
                .findFirst()
                .orElse(null), (text) -> text != null);
        String body = operation.findElement(By.cssSelector(".live-responses-table tbody .response-col_description"))
            .getText();
        assertThat(status).as(body).startsWith("200");
        assertThat(new TestTables(this.jdbc).count(table)).isEqualTo(rows);
        assertThat(body).contains("\"" + parameter + "\": \"" + value + "\"");
    }

    @Test
    void firstExecuteWithOnlyTableAndFileLoadsTheRows() throws IOException {
        this.browser = Browser.open(1280, 1600);
        String table = new TestTables(this.jdbc).users();
        Path csv = this.files.resolve("users.csv");
        Files.writeString(csv, "name,email\nAnn,ann@example.com\n\"Smith, Bob\",bob@example.com\nCy,cy@example.com\n",
                StandardCharsets.UTF_8);
        this.browser.driver.get("http://localhost:" + this.port + "/swagger-ui.html");

        WebElement operation = await().atMost(Duration.ofSeconds(30))
            .until(() -> this.browser.driver.findElements(By.cssSelector("[id^='operations-Loads-']")).stream()
                .filter((element) -> element.getText().contains("/api/v1/tables/{table}/rows"))
                .findFirst()
                .orElse(null), (element) -> element != null);
        operation.findElement(By.cssSelector(".opblock-summary")).click();
        await().until(() -> !operation.findElements(By.cssSelector("button.try-out__btn")).isEmpty());
        operation.findElement(By.cssSelector("button.try-out__btn")).click();
        WebElement tableInput = operation.findElement(By.cssSelector("tr[data-param-name='table'] input"));
        tableInput.sendKeys(Keys.chord(Keys.CONTROL, "a"), table);
        operation.findElement(By.cssSelector("input[type='file']")).sendKeys(csv.toAbsolutePath().toString());
        operation.findElement(By.cssSelector("button.execute")).click();

        String status = await().atMost(Duration.ofSeconds(30))
            .until(() -> operation.findElements(By.cssSelector(".live-responses-table tbody .response-col_status"))
                .stream()
                .map(WebElement::getText)
                .filter((text) -> !text.isBlank())
                .findFirst()
                .orElse(null), (text) -> text != null);
        String body = operation.findElement(By.cssSelector(".live-responses-table tbody .response-col_description"))
            .getText();
        assertThat(status).as(body).startsWith("200");
        // the map example is filled in and sent: it must not stand in the way of a file that does not need it
        assertThat(operation.findElement(By.cssSelector(".request-url pre")).getText())
            .contains("map=Full%20Name%3Aname");
        assertThat(new TestTables(this.jdbc).count(table)).isEqualTo(3);
        assertThat(body).contains("\"rowsInserted\": 3");
    }
}
