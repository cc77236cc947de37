package dev.bulkload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
import org.springframework.test.context.TestPropertySource;

import dev.bulkload.LoadClient;
import dev.bulkload.RawHttp;
import dev.bulkload.TestDatabase;

/**
 * Readiness follows the database (DOWN within seconds while it is unreachable or silent, UP when it
 * returns); liveness does not; a load into a silent database ends in bounded time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=false", "spring.datasource.hikari.connection-timeout=1000",
                "spring.datasource.hikari.validation-timeout=500", "management.endpoint.health.cache.time-to-live=0" })
@ContextConfiguration(initializers = ReadinessTests.ThroughProxy.class)
@TestPropertySource(properties = { "bulkload.load.statement-timeout=2s", "bulkload.load.batch-size=1" })
class ReadinessTests {

    static DatabaseProxy proxy;

    @LocalServerPort
    int port;

    @Test
    void readinessGoesDownWithTheDatabaseAndComesBack() throws IOException {
        LoadClient client = new LoadClient(this.port);
        assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200);

        proxy.cut();
        await().atMost(Duration.ofSeconds(3))
            .untilAsserted(() -> assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(503));
        assertThat(client.get("/actuator/health/liveness").status()).isEqualTo(200);
        LoadClient.Response load = client.load("users", "", "text/csv", "name,email\nAnn,a@example.com\n");
        assertThat(load.status()).isEqualTo(503);
        assertThat(load.header("Retry-After")).isNotNull();

        proxy.restore();
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200));
    }

    @Test
    void aSilentDatabaseIsDownWithinSecondsAndEndsARunningLoadInBoundedTime() throws Exception {
        LoadClient client = new LoadClient(this.port);
        String table = "silent_" + System.nanoTime() % 100000;
        try (Connection connection = DriverManager.getConnection(TestDatabase.settings().url(),
                TestDatabase.settings().username(), TestDatabase.settings().password());
                Statement statement = connection.createStatement()) {
            statement.execute("create table public." + table + " (name text, email text)");
        }
        assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200);
        try (RawHttp http = new RawHttp(this.port, Duration.ofSeconds(30))) {
            http.send("POST /api/v1/tables/" + table + "/rows HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n");
            chunk(http, "name,email\nAnn,ann@example.com\nBob,bob@example.com\n");
            await().atMost(Duration.ofSeconds(10))
                .until(() -> client.get("/actuator/prometheus")
                    .body()
                    .contains("bulkload_loads_active{application=\"bulk-loader\"} 1.0"));

            proxy.stall();
            try {
                long started = System.nanoTime();
                await().atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(503));
                long probe = System.nanoTime();
                assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - probe)).isLessThan(Duration.ofSeconds(2));

                // the load goes on writing into the silent database: it ends, it does not hang
                chunk(http, "Cy,cy@example.com\n");
                http.send("0\r\n\r\n");
                RawHttp.Response response = http.readUntilClosed();
                assertThat(response.status()).isEqualTo(503);
                assertThat(response.header("content-type")).startsWith("application/problem+json");
                assertThat(response.json().get("type").asString()).isEqualTo("urn:bulkload:problem:database-unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));

                LoadClient.Response refused = client.load(table, "", "text/csv", "name,email\nDi,di@example.com\n");
                assertThat(refused.status()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
            }
            finally {
                proxy.resume();
            }
        }
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200));
        assertThat(client.load(table, "", "text/csv", "name,email\nEd,ed@example.com\n").status()).isEqualTo(200);
    }

    private static void chunk(RawHttp http, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        http.send(Integer.toHexString(bytes.length) + "\r\n");
        http.send(bytes);
        http.send("\r\n");
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
