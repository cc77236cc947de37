package dev.bulkload.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.TestDatabaseInitializer;

/** Swagger UI with security on: Authorize describes both schemes, the scope patterns shown as written. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true", "bulkload.security.api-keys[0].name=swagger-reader",
                // printf %s swagger-key | sha256sum
                "bulkload.security.api-keys[0].sha256=02722e0c80a39677684b7aa17a20763f7537ad6b72abcc8496b0f56ad74e90a7",
                "bulkload.security.api-keys[0].tables[0]=public.*" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class SecuredSwaggerUiTests {

    @LocalServerPort
    int port;

    Browser browser;

    @AfterEach
    void closeBrowser() {
        if (this.browser != null) {
            this.browser.close();
        }
    }

    @Test
    void authorizeShowsTheScopePatternsLiterally() {
        this.browser = Browser.open(1280, 1600);
        this.browser.driver.get("http://localhost:" + this.port + "/swagger-ui.html");
        WebElement authorize = await().atMost(Duration.ofSeconds(30))
            .until(() -> this.browser.driver.findElements(By.cssSelector("button.authorize")).stream()
                .findFirst()
                .orElse(null), (button) -> button != null);
        authorize.click();

        String dialog = await().atMost(Duration.ofSeconds(10))
            .until(() -> this.browser.driver.findElements(By.cssSelector(".modal-ux-content")).stream()
                .map(WebElement::getText)
                .findFirst()
                .orElse(""), (text) -> text.contains("bearer-jwt"));
        assertThat(dialog).contains("bulkload:load:<schema>.<table glob>", "bulkload:read",
                "bulkload.security.api-keys");
    }
}
