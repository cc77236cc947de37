package dev.bulkload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabase;

/** Readiness follows the database (DOWN while it is unreachable, UP when it returns); liveness does not. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=false", "spring.datasource.hikari.connection-timeout=1000",
                "spring.datasource.hikari.validation-timeout=500", "management.endpoint.health.cache.time-to-live=0" })
@ContextConfiguration(initializers = ReadinessTests.ThroughProxy.class)
class ReadinessTests {

    static DatabaseProxy proxy;

    @LocalServerPort
    int port;

    @Test
    void readinessGoesDownWithTheDatabaseAndComesBack() throws IOException {
        LoadClient client = new LoadClient(this.port);
        assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200);

        proxy.cut();
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(503));
        assertThat(client.get("/actuator/health/liveness").status()).isEqualTo(200);
        LoadClient.Response load = client.load("users", "", "text/csv", "name,email\nAnn,a@example.com\n");
        assertThat(load.status()).isEqualTo(503);
        assertThat(load.header("Retry-After")).isNotNull();

        proxy.restore();
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200));
    }

    /** Points the context's data source at a proxy in front of the test database. */
    static class ThroughProxy implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestDatabase.Settings db = TestDatabase.settings();
            Matcher address = Pattern.compile("//([^/:]+):(\\d+)/").matcher(db.url());
            if (!address.find()) {
                throw new IllegalStateException("Cannot read host and port from " + db.url());
            }
            try {
                proxy = new DatabaseProxy(address.group(1), Integer.parseInt(address.group(2)));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            String url = db.url().replace("//" + address.group(1) + ":" + address.group(2) + "/",
                    "//localhost:" + proxy.port() + "/");
            TestPropertyValues.of("spring.datasource.url=" + url,
                    "spring.datasource.username=" + ((db.username() != null) ? db.username() : ""),
                    "spring.datasource.password=" + ((db.password() != null) ? db.password() : ""))
                .applyTo(context);
        }
    }
}
