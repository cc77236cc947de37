package dev.bulkload.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import dev.bulkload.row.Reject;
import dev.bulkload.tracing.TraceIds;

/**
 * Registers loads: hands each one its {@link RegisteredLoad}, writes rows that go through the pool (a running
 * row, a final state that does not commit with data, stored rejects) and keeps the loads of this replica that
 * {@link ProgressWriter} reports on. A final state the database could not take yet is kept and written again
 * until it can, so a row never stays running for a load that ended.
 */
@Component
public class LoadRegistry implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(LoadRegistry.class);

    private static final String CANCEL_REQUESTED = "select cancel_requested from bulkload.loads where id = ?";

    private final DataSource dataSource;

    private final LoadRows rows;

    private final StoredRejects rejects;

    private final LoadsProperties properties;

    private final String replica;

    /** How long a load's answer waits for its final state to be written through the pool. */
    private static final long FINAL_WRITE_WAIT_MILLIS = 2000;

    private final Set<RegisteredLoad> active = ConcurrentHashMap.newKeySet();

    /** Writes final states through the pool, so a load's thread can stop waiting for one. */
    private final ExecutorService writer = Executors.newCachedThreadPool((task) -> {
        Thread thread = new Thread(task, "load-registry-final-state");
        thread.setDaemon(true);
        return thread;
    });

    /** Final states written when the database is back: loads whose last COMMIT had no answer. */
    private final Set<Unsettled> unsettled = ConcurrentHashMap.newKeySet();

    private final TraceIds traces;

    LoadRegistry(DataSource dataSource, LoadRows rows, StoredRejects rejects, LoadsProperties properties,
            TraceIds traces) {
        this.dataSource = dataSource;
        this.traces = traces;
        this.rows = rows;
        this.rejects = rejects;
        this.properties = properties;
        this.replica = (properties.replica() != null && !properties.replica().isBlank()) ? properties.replica()
                : hostName();
    }

    /**
     * A new load, with its id, in the trace the calling thread works in; nothing is written until the load needs a
     * row.
     */
    public RegisteredLoad start(LoadStart start) {
        return new RegisteredLoad(start.inTrace(this.traces.current()), this);
    }

    String replica() {
        return this.replica;
    }

    LoadRows rows() {
        return this.rows;
    }

    long announceAfterNanos() {
        return this.properties.announceAfter().toNanos();
    }

    /** Loads of this replica with a running row. */
    Collection<RegisteredLoad> active() {
        return this.active;
    }

    /** Gives the load its running row; false (and the load goes on) when the database could not take it. */
    boolean announce(RegisteredLoad load) {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(true);
            // a load that resumes an earlier attempt (Idempotency-Key) keeps that attempt's committed chunks
            this.rows.writeFromPool(connection,
                    load.row(LoadStatus.RUNNING, load.live(), load.committedRows(), load.chunksCommitted(), null),
                    load.backendTag());
            this.active.add(load);
            return true;
        }
        catch (SQLException ex) {
            logger.warn("Load {}: its running row could not be written: {}", load.id(), ex.getMessage());
            return false;
        }
    }

    boolean storeRejects(UUID id, List<Reject> kept) {
        try {
            this.rejects.store(id, kept);
            return true;
        }
        catch (RuntimeException ex) {
            logger.warn("Load {}: {} rejects could not be stored: {}", id, kept.size(), ex.getMessage());
            return false;
        }
    }

    /**
     * Writes a final state through the pool, waiting for it at most {@link #FINAL_WRITE_WAIT_MILLIS}: a database
     * that went away (often why the load failed) must not hold the load's answer for the pool's connection
     * timeout. A write that fails is kept and done again later.
     */
    void finish(RegisteredLoad load, LoadRows.LoadRow row) {
        this.active.remove(load);
        Future<?> write = this.writer.submit(() -> {
            try (Connection connection = this.dataSource.getConnection()) {
                connection.setAutoCommit(true);
                this.rows.writeFromPool(connection, row, load.backendTag());
            }
            catch (SQLException | RuntimeException ex) {
                logger.warn("Load {}: its final state ({}) could not be written yet: {}", load.id(),
                        row.status().label(), ex.getMessage());
                this.unsettled.add(new Unsettled(load, row.status(), row.problem()));
            }
        });
        try {
            write.get(FINAL_WRITE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            logger.warn("Load {}: its final state ({}) is still being written", load.id(), row.status().label());
        }
        catch (ExecutionException ex) {
            logger.warn("Load {}: its final state could not be written: {}", load.id(), ex.getCause().getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** A load whose running row its own transaction wrote: the progress writer reports on it from now. */
    void track(RegisteredLoad load) {
        if (!load.ended()) {
            this.active.add(load);
        }
    }

    void forget(RegisteredLoad load) {
        this.active.remove(load);
    }

    /** A cancel for a load this replica runs reaches its thread at once. */
    void cancelLocally(UUID id) {
        this.active.stream().filter((load) -> load.id().equals(id)).forEach(RegisteredLoad::cancelSeen);
    }

    boolean cancelRequested(UUID id) {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CANCEL_REQUESTED)) {
            connection.setAutoCommit(true);
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
        catch (SQLException ex) {
            logger.warn("Load {}: could not read whether it was cancelled: {}", id, ex.getMessage());
            return false;
        }
    }

    /**
     * Finds out whether the load's last transaction committed, on a fresh connection: its row commits with the
     * data, and locking it waits for a transaction still in doubt to end.
     */
    CommitOutcome resolve(RegisteredLoad load, LoadCounts expected) {
        long deadline = System.nanoTime() + this.properties.resolveTimeout().toNanos();
        SQLException last = null;
        do {
            try (Connection connection = this.dataSource.getConnection()) {
                long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                LoadRows.Committed row = this.rows.lockAndRead(connection, load.id(), load.start(),
                        load.startedAt(), this.replica, remaining);
                boolean committed = row.chunks() > load.chunksCommitted();
                return new CommitOutcome(true, committed, committed ? expected.rowsCommitted() : row.rows());
            }
            catch (SQLException ex) {
                last = ex;
                pause();
            }
        }
        while (System.nanoTime() < deadline);
        logger.warn("Load {}: the database stayed unreachable; the outcome of its COMMIT is unknown: {}", load.id(),
                (last != null) ? last.getMessage() : "timeout");
        return CommitOutcome.unknown();
    }

    /** The load's last COMMIT had no answer and the database stays away: its row is ended once it is back. */
    void settleLater(RegisteredLoad load, LoadStatus status, ProblemDetail problem) {
        this.active.remove(load);
        this.unsettled.add(new Unsettled(load, status, RegisteredLoad.problemMap(problem)));
    }

    /** Writes the final states the database could not take before; called by {@link ProgressWriter}. */
    void settle() {
        for (Unsettled pending : this.unsettled) {
            try (Connection connection = this.dataSource.getConnection()) {
                connection.setAutoCommit(true);
                this.rows.settle(connection, pending.load().id(), pending.load().attempt(), pending.load().start(),
                        pending.load().startedAt(), this.replica, pending.status(), pending.problem());
                this.unsettled.remove(pending);
                logger.info("Load {}: its final state was written now that the database is back",
                        pending.load().id());
            }
            catch (SQLException ex) {
                return;
            }
        }
    }

    @Override
    public void destroy() {
        this.writer.shutdown();
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "unknown";
        }
    }

    private record Unsettled(RegisteredLoad load, LoadStatus status, java.util.Map<String, Object> problem) {
    }
}
