package dev.bulkload.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

/** No trace is no trace id: never an empty one in a problem or a registry row. */
class TraceIdsTests {

    @Test
    void aNoOpTracerOrNoSpanNamesNoTrace() {
        assertThat(new TraceIds(Tracer.NOOP).current()).isNull();
        assertThat(TraceIds.of(Span.NOOP)).isNull();
        assertThat(TraceIds.of(null)).isNull();
    }

    @Test
    void probesAndScrapesAreRoutineLoadsAreNot() {
        assertThat(RoutineSpansDropped.routine("/readyz")).isTrue();
        assertThat(RoutineSpansDropped.routine("/actuator/health/liveness")).isTrue();
        assertThat(RoutineSpansDropped.routine("/actuator/prometheus?name=x")).isTrue();
        assertThat(RoutineSpansDropped.routine("/api/v1/tables/users/rows")).isFalse();
        assertThat(RoutineSpansDropped.routine("/actuator/healthy")).isFalse();
        assertThat(RoutineSpansDropped.routine(null)).isFalse();
    }
}
