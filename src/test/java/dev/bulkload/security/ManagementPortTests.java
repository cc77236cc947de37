package dev.bulkload.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import dev.bulkload.LoadClient;
import dev.bulkload.TestDatabaseInitializer;

/**
 * Security on and {@code management.server.port} set (random here, 8081 in the Helm chart): the actuator
 * answers on the management port without credentials (it is meant for the cluster's network only); the main
 * port has no prometheus at all, its probes at {@code /livez} and {@code /readyz} are open, and the API still
 * needs credentials.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "bulkload.security.enabled=true", "management.server.port=0",
                "bulkload.security.api-keys[0].name=scraper",
                "bulkload.security.api-keys[0].sha256=" + ManagementPortTests.KEY_SHA256,
                "bulkload.security.api-keys[0].tables[0]=public.*" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
class ManagementPortTests {

    static final String KEY = "scrape-key-51d0e2";

    static final String KEY_SHA256 = "eb93f4d7c76b94a500eb4262b6988007b6307fa9be0b31e69c4b5c96aed2c42e";

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void theKeyConstantIsTheDigestOfTheKey() throws NoSuchAlgorithmException {
        assertThat(KEY_SHA256).isEqualTo(HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void theManagementPortAnswersWithoutCredentials() {
        assertThat(this.managementPort).isPositive().isNotEqualTo(this.port);
        LoadClient management = new LoadClient(this.managementPort);
        LoadClient.Response scrape = management.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("bulkload_");
        assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(management.get("/actuator/info").status()).isEqualTo(200);
        // the API is not served there, with or without credentials
        assertThat(management.get("/api/v1/tables").status()).isEqualTo(404);
        assertThat(management.get("/api/v1/tables", "X-API-Key", KEY).status()).isEqualTo(404);
    }

    @Test
    void theMainPortHasNoMetricsAndOnlyItsProbesAreOpen() {
        LoadClient main = new LoadClient(this.port);
        assertThat(main.get("/actuator/prometheus").status()).isIn(401, 404);
        assertThat(main.get("/actuator/prometheus", "X-API-Key", KEY).status()).isEqualTo(404);
        assertThat(main.get("/livez").status()).isEqualTo(200);
        assertThat(main.get("/readyz").status()).isEqualTo(200);
        assertThat(main.get("/api/v1/tables").status()).isEqualTo(401);
        assertThat(main.get("/api/v1/tables", "X-API-Key", KEY).status()).isEqualTo(200);
    }
}
