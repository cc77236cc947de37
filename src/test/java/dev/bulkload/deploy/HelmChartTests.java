package dev.bulkload.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart, linted and rendered with helm-java (no cluster needed). */
class HelmChartTests {

    private static final Path CHART = Path.of("helm", "bulk-loader");

    @Test
    void strictLintPasses() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultsRenderTheWorkloadWithProbesSecurityAndSecrets() {
        List<Map<String, Object>> documents = render(new Helm(CHART).template().withName("bl"));
        assertThat(kinds(documents)).containsExactlyInAnyOrder("ServiceAccount", "Secret", "ConfigMap", "ConfigMap",
                "Service", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget");
        assertThat(find(documents, "HorizontalPodAutoscaler").get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(find(documents, "PodDisruptionBudget").get("apiVersion")).isEqualTo("policy/v1");

        Map<String, Object> deployment = find(documents, "Deployment");
        assertThat(deployment.get("apiVersion")).isEqualTo("apps/v1");
        Map<String, Object> template = map(map(deployment, "spec"), "template");
        assertThat(map(map(template, "metadata"), "annotations")).containsKey("checksum/config");
        assertThat(map(map(template, "metadata"), "labels")).containsEntry("app.kubernetes.io/name", "bulk-loader")
            .containsEntry("app.kubernetes.io/instance", "bl");
        Map<String, Object> pod = map(template, "spec");
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true)
            .containsEntry("runAsUser", 10001)
            .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(30 + 10);
        Map<String, Object> container = list(pod, "containers").get(0);
        // /actuator moves to the management port; liveness asks there (its own connector, not queued behind a
        // burst on the main port), readiness checks the main port's connector
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/actuator/health/liveness")
            .containsEntry("port", "management");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/readyz")
            .containsEntry("port", "http");
        assertThat(map(map(container, "startupProbe"), "httpGet")).containsEntry("path", "/livez")
            .containsEntry("port", "http");
        assertThat(list(container, "ports")).containsExactly(
                Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
                Map.of("name", "management", "containerPort", 8081, "protocol", "TCP"));
        assertThat(list(map(find(documents, "Service"), "spec"), "ports")).containsExactly(
                Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"),
                Map.of("name", "management", "port", 8081, "targetPort", "management", "protocol", "TCP"));
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
            .containsEntry("allowPrivilegeEscalation", false)
            .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat(map(map(container, "lifecycle"), "preStop")).isNotNull();
        assertThat(list(container, "volumeMounts")).anyMatch((m) -> "/tmp".equals(m.get("mountPath")));
        assertThat(list(pod, "volumes").get(0)).containsEntry("emptyDir", Map.of("sizeLimit", "1Gi"));
        assertThat(list(container, "env")).allSatisfy((env) -> assertThat(
                map(map(env, "valueFrom"), "secretKeyRef")).containsEntry("name", "bl-bulk-loader-db"));
        assertThat(find(documents, "Secret").get("metadata").toString()).contains("bl-bulk-loader-db");
        Map<String, Object> config = documents.stream()
            .filter((d) -> "ConfigMap".equals(d.get("kind")) && !map(d, "metadata").get("name").toString().endsWith("dashboard"))
            .findFirst()
            .orElseThrow();
        assertThat(map(config, "data")).containsEntry("BULKLOAD_TABLES_INCLUDE", "public.*")
            .containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "30s")
            .containsEntry("MANAGEMENT_SERVER_PORT", "8081")
            .containsEntry("BULKLOAD_DATABASE_POOLING", "session")
            .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        Map<String, Object> dashboard = documents.stream()
            .filter((d) -> map(d, "metadata").get("name").toString().endsWith("dashboard"))
            .findFirst()
            .orElseThrow();
        assertThat(map(map(dashboard, "metadata"), "labels")).containsEntry("grafana_dashboard", "1");
        assertThat(map(dashboard, "data").get("bulk-loader.json").toString()).contains("bulkload_rows_total");
    }

    @Test
    void everyOptionalFeatureRenders() {
        List<Map<String, Object>> documents = render(new Helm(CHART).template()
            .withName("bl")
            .set("ingress.enabled", true)
            .set("networkPolicy.enabled", true)
            .set("serviceMonitor.enabled", true)
            .set("serviceMonitor.additionalLabels.release", "kube-prometheus-stack")
            .set("database.existingSecret", "db-credentials")
            .set("database.pooling", "transaction"));
        assertThat(kinds(documents)).contains("Ingress", "NetworkPolicy", "ServiceMonitor").doesNotContain("Secret");
        assertThat(map(documents.stream()
            .filter((d) -> "ConfigMap".equals(d.get("kind")) && !map(d, "metadata").get("name").toString().endsWith("dashboard"))
            .findFirst()
            .orElseThrow(), "data")).containsEntry("BULKLOAD_DATABASE_POOLING", "transaction");
        assertThat(find(documents, "Ingress").get("apiVersion")).isEqualTo("networking.k8s.io/v1");
        Map<String, Object> policy = find(documents, "NetworkPolicy");
        assertThat(policy.get("apiVersion")).isEqualTo("networking.k8s.io/v1");
        // without ingressFrom only the monitoring namespace gets in, and only to the management port
        assertThat(list(map(policy, "spec"), "ingress")).containsExactly(Map.of(
                "ports", List.of(Map.of("port", "management", "protocol", "TCP")),
                "from", List.of(Map.of("namespaceSelector",
                        Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring"))))));
        Map<String, Object> monitor = find(documents, "ServiceMonitor");
        assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(map(map(monitor, "metadata"), "labels")).containsEntry("release", "kube-prometheus-stack");
        // the management port needs no credentials: no authorization in the endpoint
        assertThat(list(map(monitor, "spec"), "endpoints")).containsExactly(Map.of("port", "management",
                "path", "/actuator/prometheus", "interval", "30s"));
        Map<String, Object> container = list(map(map(map(find(documents, "Deployment"), "spec"), "template"), "spec"),
                "containers").get(0);
        assertThat(list(container, "env")).allSatisfy((env) -> assertThat(
                map(map(env, "valueFrom"), "secretKeyRef")).containsEntry("name", "db-credentials"));
    }

    @Test
    void apiKeyDigestsComeFromASecretAndJwtSettingsFromValues() {
        String digest = "9d02e5d99684e90be75a6bf6f4e1fe154fb6da8a2ee9a5ececdbb5598483b721";
        List<Map<String, Object>> documents = render(new Helm(CHART).template()
            .withName("bl")
            .set("security.apiKeys[0].name", "orders-feed")
            .set("security.apiKeys[0].sha256", digest)
            .set("security.apiKeys[0].tables[0]", "sales.*")
            .set("security.apiKeys[0].tables[1]", "public.orders")
            .set("security.jwt.issuerUri", "https://id.example.com/realms/data")
            .set("security.jwt.audiences[0]", "bulk-loader")
            .set("security.jwt.roleClaim", "db_role")
            .set("serviceMonitor.enabled", true));
        Map<String, Object> keys = documents.stream()
            .filter((d) -> "Secret".equals(d.get("kind")) && map(d, "metadata").get("name").equals("bl-bulk-loader-api-keys"))
            .findFirst()
            .orElseThrow();
        assertThat(map(keys, "stringData")).containsEntry("BULKLOAD_SECURITY_APIKEYS_0_NAME", "orders-feed")
            .containsEntry("BULKLOAD_SECURITY_APIKEYS_0_SHA256", digest)
            .containsEntry("BULKLOAD_SECURITY_APIKEYS_0_TABLES", "sales.*,public.orders");
        Map<String, Object> container = list(map(map(map(find(documents, "Deployment"), "spec"), "template"), "spec"),
                "containers").get(0);
        assertThat(list(container, "envFrom")).anyMatch((from) -> from.containsKey("secretRef")
                && map(from, "secretRef").get("name").equals("bl-bulk-loader-api-keys"));
        Map<String, Object> config = documents.stream()
            .filter((d) -> "ConfigMap".equals(d.get("kind")) && map(d, "metadata").get("name").equals("bl-bulk-loader"))
            .findFirst()
            .orElseThrow();
        assertThat(map(config, "data")).containsEntry("BULKLOAD_SECURITY_ENABLED", "true")
            .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", "https://id.example.com/realms/data")
            .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", "bulk-loader")
            .containsEntry("BULKLOAD_SECURITY_JWT_PRINCIPAL_CLAIM", "sub")
            .containsEntry("BULKLOAD_SECURITY_JWT_ROLE_CLAIM", "db_role");
        assertThat(list(map(find(documents, "ServiceMonitor"), "spec"), "endpoints").get(0))
            .containsEntry("port", "management")
            .doesNotContainKey("authorization");
        assertThatException()
            .isThrownBy(() -> new Helm(CHART).template()
                .set("security.apiKeys[0].name", "clear")
                .set("security.apiKeys[0].sha256", "the-key-itself")
                .set("security.apiKeys[0].tables[0]", "public.*")
                .call())
            .withMessageContaining("sha256");
    }

    @Test
    void theNetworkPolicyOpensTheApiToListedPeersAndTheManagementPortToMonitoringOnly() {
        List<Map<String, Object>> documents = render(new Helm(CHART).template()
            .withName("bl")
            .set("networkPolicy.enabled", true)
            .set("networkPolicy.ingressFrom[0].namespaceSelector.matchLabels.team", "data")
            .set("service.managementPort", 9090));
        List<Map<String, Object>> rules = list(map(find(documents, "NetworkPolicy"), "spec"), "ingress");
        assertThat(rules).containsExactly(
                Map.of("ports", List.of(Map.of("port", "management", "protocol", "TCP")),
                        "from", List.of(Map.of("namespaceSelector",
                                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring"))))),
                Map.of("ports", List.of(Map.of("port", "http", "protocol", "TCP")),
                        "from", List.of(Map.of("namespaceSelector", Map.of("matchLabels", Map.of("team", "data"))))));
        Map<String, Object> container = list(map(map(map(find(documents, "Deployment"), "spec"), "template"), "spec"),
                "containers").get(0);
        assertThat(list(container, "ports")).contains(Map.of("name", "management", "containerPort", 9090,
                "protocol", "TCP"));
        assertThat(list(map(find(documents, "Service"), "spec"), "ports")).anySatisfy((port) -> assertThat(port)
            .containsEntry("name", "management").containsEntry("port", 9090));
    }

    @Test
    void logsAndTracesAreSetFromValues(@TempDir Path dir) throws IOException {
        Map<String, Object> defaults = settings(render(new Helm(CHART).template().withName("bl")));
        assertThat(defaults).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
            .containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1")
            .doesNotContainKey("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
        // numbers from a values file: helm-java's set() passes strings
        Path values = Files.writeString(dir.resolve("values.yaml"), """
                logging:
                  structuredFormat: logstash
                tracing:
                  otlpEndpoint: http://otel-collector.observability:4318/v1/traces
                  samplingProbability: 0.25
                """);
        Map<String, Object> exported = settings(render(new Helm(CHART).template().withName("bl").withValuesFile(values)));
        assertThat(exported).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "logstash")
            .containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0.25")
            .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
                    "http://otel-collector.observability:4318/v1/traces");
        Path tooHigh = Files.writeString(dir.resolve("too-high.yaml"), "tracing:\n  samplingProbability: 1.5\n");
        assertThatException().isThrownBy(() -> new Helm(CHART).template().withValuesFile(tooHigh).call())
            .withMessageContaining("samplingProbability");
        assertThatException()
            .isThrownBy(() -> new Helm(CHART).template().set("tracing.otlpEndpoint", "otel-collector:4318").call())
            .withMessageContaining("otlpEndpoint");
        assertThatException()
            .isThrownBy(() -> new Helm(CHART).template().set("logging.structuredFormat", "xml").call())
            .withMessageContaining("structuredFormat");
    }

    /** The application settings of the rendered ConfigMap (not the dashboard's). */
    private static Map<String, Object> settings(List<Map<String, Object>> documents) {
        return map(documents.stream()
            .filter((d) -> "ConfigMap".equals(d.get("kind"))
                    && !map(d, "metadata").get("name").toString().endsWith("dashboard"))
            .findFirst()
            .orElseThrow(), "data");
    }

    @Test
    void wrongValuesAreRejectedByTheSchema() {
        assertThatException().isThrownBy(() -> new Helm(CHART).template().set("replicaCount", -1).call())
            .withMessageContaining("replicaCount");
        assertThatException().isThrownBy(() -> new Helm(CHART).template().set("image.pullPolicy", "Sometimes").call())
            .withMessageContaining("pullPolicy");
        assertThatException()
            .isThrownBy(() -> new Helm(CHART).template().set("database.url", "mysql://db/app").call())
            .withMessageContaining("url");
        assertThatException().isThrownBy(() -> new Helm(CHART).template().set("database.pooling", "statement").call())
            .withMessageContaining("pooling");
    }

    private static List<Map<String, Object>> render(TemplateCommand command) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(command.call())) {
            if (document instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) map;
                documents.add(typed);
            }
        }
        return documents;
    }

    private static List<String> kinds(List<Map<String, Object>> documents) {
        return documents.stream().map((d) -> (String) d.get("kind")).toList();
    }

    private static Map<String, Object> find(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter((d) -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }
}
