package dev.bulkload.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import dev.bulkload.body.LoadFormat;
import dev.bulkload.options.LoadMethod;
import dev.bulkload.options.LoadRequest;
import dev.bulkload.csv.CsvFormat;
import dev.bulkload.row.WriteMode;

/** The load's trace stands between the load and the observer it was given: it must pass on every call. */
class LoadTraceTests {

    private final LoadRequest request = new LoadRequest("users", LoadFormat.CSV, false, WriteMode.INSERT, List.of(),
            LoadMethod.COPY, true, false, null, 100, false, CsvFormat.DEFAULT);

    @Test
    void everyObserverMethodIsPassedOn() {
        List<String> missing = new ArrayList<>();
        for (Method method : LoadObserver.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            try {
                Method own = LoadTrace.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
                assertThat(own.getDeclaringClass()).isEqualTo(LoadTrace.class);
            }
            catch (NoSuchMethodException ex) {
                missing.add(method.getName() + Arrays.toString(method.getParameterTypes()));
            }
        }
        assertThat(missing).as("LoadObserver methods LoadTrace does not pass on (it would swallow them)").isEmpty();
    }

    @Test
    void callsReachTheGivenObserverInOrder() {
        List<String> heard = new ArrayList<>();
        Runnable cancel = () -> {
        };
        LoadObserver observer = new LoadObserver() {

            @Override
            public void registered(UUID id) {
                heard.add("registered " + id);
            }

            @Override
            public void cancellable(Runnable given) {
                heard.add("cancellable " + (given == cancel));
            }

            @Override
            public void committing() {
                heard.add("committing");
            }

            @Override
            public boolean stopped() {
                heard.add("stopped");
                return true;
            }

            @Override
            public void commitEnded(boolean committed, long rows, Long throughRecord, boolean last) {
                heard.add("commitEnded " + committed + " " + rows + " " + throughRecord + " " + last);
            }
        };
        UUID id = UUID.randomUUID();
        try (LoadTrace trace = new LoadTracing(Tracer.NOOP).load(this.request, observer)) {
            trace.registered(id);
            trace.cancellable(cancel);
            trace.committing();
            assertThat(trace.stopped()).isTrue();
            trace.commitEnded(true, 7, 9L, false);
        }
        assertThat(heard).containsExactly("registered " + id, "cancellable true", "committing", "stopped",
                "commitEnded true 7 9 false");
    }

    @Test
    void aCommitTheObserverStopsFailsAndTheTraceStillEnds() {
        LoadObserver stopping = new LoadObserver() {

            @Override
            public void committing() {
                throw new LoadStoppedException();
            }
        };
        try (LoadTrace trace = new LoadTracing(Tracer.NOOP).load(this.request, stopping)) {
            assertThatExceptionOfType(LoadStoppedException.class).isThrownBy(trace::committing);
        }
    }
}
