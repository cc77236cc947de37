package dev.bulkload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.bulkload.BulkLoaderTest;
import dev.bulkload.LoadClient;
import dev.bulkload.TestTables;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Grafana dashboard queries only metrics the service exports, in PromQL that parses. */
@BulkLoaderTest
class DashboardTests {

    private static final Path DASHBOARD = Path.of("helm", "bulk-loader", "dashboards", "bulk-loader.json");

    private static final Pattern METRIC = Pattern.compile("([a-z_][a-z0-9_]*)\\s*[{\\[,)]");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private List<String> expressions;

    @BeforeEach
    void readDashboard() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        this.expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                this.expressions.add(target.get("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if (variable.has("definition")) {
                this.expressions.add(variable.get("definition").asString());
            }
        }
        assertThat(this.expressions).hasSizeGreaterThan(10);
    }

    @Test
    void everyQueriedMetricIsExportedAfterALoad() {
        LoadClient client = new LoadClient(this.port);
        String table = new TestTables(this.jdbc).users();
        assertThat(client.load(table, "", "text/csv", "name,email\nAnn,ann@example.com\n").status()).isEqualTo(200);
        assertThat(client.load(table, "onError=skip", "text/csv", "name,email\nBob,\n").status()).isEqualTo(200);
        assertThat(client.load(table, "", "text/csv", "name,email\nAnn,ann@example.com\n").status()).isEqualTo(422);
        System.gc();
        String scrape = client.get("/actuator/prometheus").body();
        Set<String> metrics = new TreeSet<>();
        for (String expression : this.expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                String name = matcher.group(1);
                if (name.contains("_") && !name.startsWith("histogram_") && !name.equals("label_values")) {
                    metrics.add(name);
                }
            }
        }
        assertThat(metrics).contains("bulkload_rows_total", "bulkload_bytes_total", "bulkload_load_seconds_bucket",
                "bulkload_batch_seconds_bucket", "bulkload_loads_active", "bulkload_loads_total", "hikaricp_connections_active",
                "http_server_requests_seconds_count", "jvm_memory_used_bytes");
        assertThat(metrics).allSatisfy((metric) -> assertThat(scrape).as(metric).containsPattern(
                "(?m)^" + Pattern.quote(metric) + "[{ ]"));
    }

    @Test
    void everyExpressionParsesWithPromtool() throws IOException, InterruptedException {
        String promtool = promtool();
        Assumptions.assumeTrue(promtool != null,
                "promtool not found: set PROMTOOL or put it on the PATH (.ci/run installs it)");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < this.expressions.size(); i++) {
            String expression = this.expressions.get(i);
            if (expression.startsWith("label_values(")) {
                // a Grafana function, not PromQL: check the selector inside it
                expression = expression.substring("label_values(".length(), expression.lastIndexOf(','));
            }
            expression = expression.replace("$__rate_interval", "5m").replace("$application", ".*").replace("$table", ".*");
            rules.append("      - record: dashboard:expression_").append(i).append('\n');
            rules.append("        expr: '").append(expression.replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("dashboard-rules", ".yml");
        Files.writeString(file, rules);
        Process check = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: " + this.expressions.size() + " rules found");
    }

    private static String promtool() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        return null;
    }
}
