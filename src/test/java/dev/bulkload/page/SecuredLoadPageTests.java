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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.bulkload.TestDatabaseInitializer;
import dev.bulkload.TestTables;

/** The load page with security on: the page opens without credentials, the API key typed in it does the rest. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class SecuredLoadPageTests {

    private static final String KEY = "page-key-5d81e0";

    @DynamicPropertySource
    static void apiKey(DynamicPropertyRegistry registry) {
        registry.add("bulkload.security.api-keys[0].name", () -> "page-user");
        registry.add("bulkload.security.api-keys[0].sha256", () -> sha256(KEY));
        registry.add("bulkload.security.api-keys[0].tables[0]", () -> "public.*");
        registry.add("bulkload.security.api-keys[0].create-tables[0]", () -> "public.page_*");
    }

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
    void apiKeyTypedInThePageListsTablesAndLoadsWithoutBeingStored() throws IOException {
        this.browser = Browser.open(1100, 1200);
        String table = new TestTables(this.jdbc).users();
        Path csv = this.files.resolve("users.csv");
        Files.writeString(csv, "name,email\nAnn,ann@example.com\nBob,bob@example.com\n", StandardCharsets.UTF_8);
        this.browser.driver.get("http://localhost:" + this.port + "/");

        await().atMost(Duration.ofSeconds(20))
            .until(() -> this.browser.driver.findElement(By.id("table-info")).getText().contains("credentials"));
        assertThat(this.browser.driver.findElement(By.id("credentials")).getAttribute("open")).isNotNull();
        this.browser.driver.findElement(By.id("auth-secret")).sendKeys(KEY);
        this.browser.driver.findElement(By.id("reload-tables")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(this.browser.script(
                "return [...document.getElementById('table').options].some((o) => o.value === arguments[0])",
                "public." + table)));
        new Select(this.browser.driver.findElement(By.id("table"))).selectByValue("public." + table);
        this.browser.driver.findElement(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        this.browser.driver.findElement(By.id("load")).click();
        await().atMost(Duration.ofSeconds(60))
            .until(() -> !"uploading".equals(state()) && !"processing".equals(state()) && !"idle".equals(state()));

        assertThat(state()).as(this.browser.driver.findElement(By.id("problem")).getText()).isEqualTo("done");
        assertThat(new TestTables(this.jdbc).count(table)).isEqualTo(2);
        assertThat(this.browser.script("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
        assertThat(this.browser.script("return document.cookie")).isEqualTo("");
    }

    @Test
    void noKeyAndAWrongKeyAreToldApartAndEnterAppliesTheKey() {
        this.browser = Browser.open(1100, 1200);
        String table = new TestTables(this.jdbc).users();
        LoadPage page = LoadPage.open(this.browser, this.port);

        await().atMost(Duration.ofSeconds(20)).until(() -> "missing".equals(page.attribute("auth-status", "data-auth")));
        String noKey = page.text("auth-status");
        assertThat(noKey).startsWith("This service needs credentials");
        await().atMost(Duration.ofSeconds(20)).until(() -> page.text("table-info").contains("needs credentials"));

        page.byId("auth-secret").sendKeys("not-the-key", Keys.ENTER);
        await().atMost(Duration.ofSeconds(20)).until(() -> "rejected".equals(page.attribute("auth-status", "data-auth")));
        assertThat(page.text("auth-status")).startsWith("The service did not accept this API key").isNotEqualTo(noKey);
        await().atMost(Duration.ofSeconds(20)).until(() -> page.text("table-info").contains("credentials were not accepted"));
        assertThat(page.state()).as("Enter applied the key and submitted no load").isEqualTo("idle");

        page.byId("auth-secret").clear();
        page.byId("auth-secret").sendKeys(KEY, Keys.ENTER);
        await().atMost(Duration.ofSeconds(20)).until(() -> page.offersTable("public." + table));
        assertThat(page.attribute("auth-status", "data-auth")).isNotIn("rejected", "missing");
        assertThat(page.state()).isEqualTo("idle");
    }

    @Test
    void acceptedCredentialsAreNamedWithTheTablesTheyMayLoadAndCreate() {
        this.browser = Browser.open(1100, 1200);
        String table = new TestTables(this.jdbc).users();
        LoadPage page = LoadPage.open(this.browser, this.port);

        await().atMost(Duration.ofSeconds(20)).until(() -> "missing".equals(page.attribute("auth-status", "data-auth")));
        assertThat(page.byId("credentials").getAttribute("open")).as("the page opens Credentials").isNotNull();
        page.byId("auth-secret").sendKeys(KEY, Keys.ENTER);
        await().atMost(Duration.ofSeconds(20)).until(() -> "accepted".equals(page.attribute("auth-status", "data-auth")));

        assertThat(page.text("auth-status")).startsWith("Credentials accepted: key:page-user.")
            .contains("public." + table)
            .endsWith("may create tables public.page_*.");
    }

    private String state() {
        return this.browser.driver.findElement(By.tagName("body")).getAttribute("data-state");
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
