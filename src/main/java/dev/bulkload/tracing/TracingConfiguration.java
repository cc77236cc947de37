package dev.bulkload.tracing;

import java.util.Set;

import io.micrometer.tracing.exporter.SpanExportingPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What of the traces is exported. Spring Boot configures the rest from its standard properties: the OTLP endpoint
 * ({@code management.opentelemetry.tracing.export.otlp.endpoint}; unset, nothing is exported and no exporter
 * exists) and the sampling ({@code management.tracing.sampling.probability}).
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    /** Paths that kubelets and Prometheus call every few seconds on every replica. */
    private static final Set<String> ROUTINE = Set.of("/livez", "/readyz", "/actuator/health", "/actuator/prometheus",
            "/actuator/info");

    /**
     * Health probes and Prometheus scrapes are not exported: every replica answers several a minute, each one a
     * trace of its own that says nothing about a load. Their metrics ({@code http.server.requests}) stay.
     */
    @Bean
    SpanExportingPredicate routineRequestsNotExported() {
        return (span) -> !routine(span.getTags().get("http.url"));
    }

    static boolean routine(String path) {
        if (path == null) {
            return false;
        }
        int query = path.indexOf('?');
        String plain = (query >= 0) ? path.substring(0, query) : path;
        return ROUTINE.contains(plain) || plain.startsWith("/actuator/health/");
    }
}
