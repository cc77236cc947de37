package dev.bulkload.tracing;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Exports every span but those of health probes and Prometheus scrapes: kubelets and Prometheus call them every few
 * seconds on every replica, each a trace of its own that says nothing about a load (their metrics stay).
 */
final class RoutineSpansDropped implements SpanExporter {

    /** The request's path, as Spring's HTTP server observation records it. */
    private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");

    private static final Set<String> ROUTINE = Set.of("/livez", "/readyz", "/actuator/health", "/actuator/prometheus",
            "/actuator/info");

    private final SpanExporter exporter;

    RoutineSpansDropped(SpanExporter exporter) {
        this.exporter = exporter;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> kept = spans.stream().filter((span) -> !routine(span.getAttributes().get(HTTP_URL))).toList();
        return kept.isEmpty() ? CompletableResultCode.ofSuccess() : this.exporter.export(kept);
    }

    @Override
    public CompletableResultCode flush() {
        return this.exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return this.exporter.shutdown();
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
