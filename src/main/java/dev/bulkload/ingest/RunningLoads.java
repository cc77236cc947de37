package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;

/**
 * The loads whose HTTP answer is still owed, so that a shutdown that cannot wait for them any longer
 * answers them itself (503 shutting-down) before the server closes their connections. Exactly one side
 * answers each load: the load's own thread or the shutdown, whichever claims it first.
 */
@Component
public class RunningLoads {

    private final Set<RunningLoad> loads = ConcurrentHashMap.newKeySet();

    RunningLoad start(HttpServletResponse response, String table, boolean atomic) {
        RunningLoad load = new RunningLoad(response, table, atomic);
        this.loads.add(load);
        return load;
    }

    void end(RunningLoad load) {
        this.loads.remove(load);
    }

    /** Takes over the answer of every load still running; their own threads will not answer any more. */
    public List<RunningLoad> claimAll() {
        List<RunningLoad> claimed = new ArrayList<>();
        for (RunningLoad load : this.loads) {
            if (load.claim()) {
                claimed.add(load);
            }
        }
        return claimed;
    }

    /** A load in flight: the response to answer it on, and what it has committed so far. */
    public static final class RunningLoad implements LoadObserver {

        private final HttpServletResponse response;

        private final String table;

        private volatile boolean atomic;

        private final AtomicBoolean answered = new AtomicBoolean();

        private volatile long rowsCommitted;

        private volatile UUID loadId;

        RunningLoad(HttpServletResponse response, String table, boolean atomic) {
            this.response = response;
            this.table = table;
            this.atomic = atomic;
        }

        /** True for the one caller that gets to answer the load. */
        boolean claim() {
            return this.answered.compareAndSet(false, true);
        }

        @Override
        public void registered(UUID id) {
            this.loadId = id;
        }

        @Override
        public void committed(long rows) {
            this.rowsCommitted = rows;
        }

        /** The load's id in the registry, null until it was registered. */
        public UUID loadId() {
            return this.loadId;
        }

        public HttpServletResponse response() {
            return this.response;
        }

        /** The table as the client named it. */
        public String table() {
            return this.table;
        }

        public boolean atomic() {
            return this.atomic;
        }

        /** An upload's options arrive with its form fields, after the load was started. */
        void atomic(boolean atomic) {
            this.atomic = atomic;
        }

        /** Rows committed so far: always 0 for an atomic load, which commits only at its end. */
        public long rowsCommitted() {
            return this.rowsCommitted;
        }
    }
}
