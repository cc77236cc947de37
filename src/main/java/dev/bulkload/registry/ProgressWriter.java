package dev.bulkload.registry;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Writes the progress of this replica's running loads to their rows, each in a short transaction of its own on a
 * pooled connection (never a load's transaction): the counts its thread last published, the current rows/s, and a
 * heartbeat at least every {@code heartbeat-interval} even when no rows arrive. Learns from the same statement
 * whether someone cancelled the load. Then writes final states the database could not take before.
 */
@Component
class ProgressWriter {

    private static final Logger logger = LoggerFactory.getLogger(ProgressWriter.class);

    private final DataSource dataSource;

    private final LoadRegistry registry;

    private final LoadRows rows;

    private final long heartbeatNanos;

    ProgressWriter(DataSource dataSource, LoadRegistry registry, LoadRows rows, LoadsProperties properties) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.rows = rows;
        this.heartbeatNanos = properties.heartbeatInterval().toNanos();
    }

    void run() {
        if (!this.registry.active().isEmpty()) {
            writeProgress();
        }
        this.registry.settle();
    }

    private void writeProgress() {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (RegisteredLoad load : this.registry.active()) {
                if (load.ended()) {
                    continue;
                }
                RegisteredLoad.Written last = load.lastWritten();
                LoadCounts live = load.live();
                long now = System.nanoTime();
                if (live.equals(last.counts()) && now - last.nanos() < this.heartbeatNanos) {
                    continue;
                }
                long elapsed = now - last.nanos();
                long rate = (elapsed > 0)
                        ? Math.round((live.rowsReceived() - last.counts().rowsReceived()) * 1e9 / elapsed) : 0;
                if (this.rows.progress(connection, load.id(), load.attempt(), live, Math.max(0, rate))) {
                    load.cancelSeen();
                }
                load.written(new RegisteredLoad.Written(live, now));
            }
        }
        catch (SQLException | RuntimeException ex) {
            logger.debug("Progress of running loads not written this time: {}", ex.getMessage());
        }
    }
}
