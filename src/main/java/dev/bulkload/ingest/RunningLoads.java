package dev.bulkload.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;

import dev.bulkload.tracing.TraceIds;

/**
 * The loads whose HTTP answer is still owed, so that a shutdown that cannot wait for them any longer
 * stops them (no COMMIT after that) and answers them itself (503 shutting-down, with what they committed)
 * before the server closes their connections. Exactly one side answers each load: the load's own thread or
 * the shutdown, whichever claims it first.
 */
@Component
public class RunningLoads {

    private final Set<RunningLoad> loads = ConcurrentHashMap.newKeySet();

    private final TraceIds traces;

    RunningLoads(TraceIds traces) {
        this.traces = traces;
    }

    /** A load starts on this thread, in its request's trace. */
    RunningLoad start(HttpServletResponse response, String table, boolean atomic) {
        RunningLoad load = new RunningLoad(response, table, atomic, this.traces.current());
        this.loads.add(load);
        return load;
    }

    void end(RunningLoad load) {
        this.loads.remove(load);
    }

    /** The loads whose answer is still owed, at this moment. */
    public List<RunningLoad> owed() {
        return new ArrayList<>(this.loads);
    }

    /**
     * Takes over the answer of the load, unless its own thread answered it already.
     * @return whether the caller now answers it (its thread will not)
     */
    public boolean claim(RunningLoad load) {
        return load.claim();
    }

    /** Waits up to {@code wait} for these loads' own threads to answer them. */
    public void awaitAnswered(List<RunningLoad> loads, java.time.Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (loads.stream().anyMatch(this.loads::contains) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /**
     * A load in flight: the response to answer it on, what it has committed so far, and the gate each of its
     * COMMITs passes, which a shutdown closes: once {@link #stop stopped}, the load never commits again.
     */
    public static final class RunningLoad implements LoadObserver {

        private final HttpServletResponse response;

        private final String table;

        private volatile boolean atomic;

        private final AtomicBoolean answered = new AtomicBoolean();

        private final Object gate = new Object();

        /** Guarded by {@link #gate}. */
        private Phase phase = Phase.RUNNING;

        private volatile long rowsCommitted;

        private volatile Long committedThroughRecord;

        private volatile UUID loadId;

        private volatile Runnable cancel;

        private final String traceId;

        RunningLoad(HttpServletResponse response, String table, boolean atomic, String traceId) {
            this.traceId = traceId;
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
        public void cancellable(Runnable cancel) {
            this.cancel = cancel;
        }

        @Override
        public void committing() {
            synchronized (this.gate) {
                if (this.phase == Phase.STOPPED) {
                    throw new LoadStoppedException();
                }
                this.phase = Phase.COMMITTING;
            }
        }

        @Override
        public void commitEnded(boolean committed, long rows, Long throughRecord, boolean last) {
            synchronized (this.gate) {
                if (committed) {
                    this.rowsCommitted = rows;
                    this.committedThroughRecord = throughRecord;
                }
                this.phase = (committed && last) ? Phase.FINISHED : Phase.RUNNING;
                this.gate.notifyAll();
            }
        }

        @Override
        public boolean stopped() {
            synchronized (this.gate) {
                return this.phase == Phase.STOPPED;
            }
        }

        /**
         * Stops the load before its next COMMIT, waiting up to {@code wait} for one in flight to end.
         * @return STOPPED (it will never commit again: what it committed is final), FINISHED (its last
         * transaction committed: it succeeded), or COMMITTING (a COMMIT still had no answer after the wait)
         */
        public Phase stop(java.time.Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            synchronized (this.gate) {
                while (this.phase == Phase.COMMITTING) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Phase.COMMITTING;
                    }
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this.gate, left);
                }
                if (this.phase == Phase.RUNNING) {
                    this.phase = Phase.STOPPED;
                }
                return this.phase;
            }
        }

        /** Cancels the statement the load runs now, if it has a connection yet. */
        public void cancelDatabaseWork() {
            Runnable cancel = this.cancel;
            if (cancel != null) {
                cancel.run();
            }
        }

        /** The load's id in the registry, null until it was registered. */
        public UUID loadId() {
            return this.loadId;
        }

        public HttpServletResponse response() {
            return this.response;
        }

        /** The trace of the load's request, null when there is none. */
        public String traceId() {
            return this.traceId;
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

        /** Rows committed so far: always 0 for an atomic load before its one COMMIT. */
        public long rowsCommitted() {
            return this.rowsCommitted;
        }

        /** The last record of the load's committed transactions, null before any. */
        public Long committedThroughRecord() {
            return this.committedThroughRecord;
        }
    }

    /** Where a load stands towards its commits. */
    public enum Phase {

        /** Working between commits. */
        RUNNING,

        /** A COMMIT is in flight. */
        COMMITTING,

        /** Its last transaction committed: it succeeded, its own thread answers it. */
        FINISHED,

        /** Stopped by a shutdown: it never commits again. */
        STOPPED
    }
}
