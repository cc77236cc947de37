package dev.bulkload.pooling;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.PGStatement;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Checks at start that {@code bulkload.database.pooling} says what the connections do, and refuses to start
 * otherwise (rather than failing the first load that meets the difference). Two pooled connections, A and B: A asks
 * for its backend's pid in one transaction; B opens a transaction and asks for its own, which a transaction pooler
 * gives from the backends just freed (PgBouncer reuses the last one freed first), so often A's; A asks again. A
 * backend that served A and then B, or A reaching another backend, is transaction pooling; A keeping its backend
 * over a few rounds is a direct connection or session pooling. Runs before Flyway's migrations (which would
 * otherwise be the first to fail, with a driver error, behind an undeclared transaction pooler), or where Flyway is
 * off once the context has started, before the service reports itself ready; a context refreshed without a
 * database, as the image's AOT training run does, is not checked.
 */
@Component
class PoolingCheck implements ApplicationListener<ApplicationStartedEvent> {

    private static final Logger logger = LoggerFactory.getLogger(PoolingCheck.class);

    private static final int ROUNDS = 3;

    /** invalid_sql_statement_name, duplicate_prepared_statement. */
    private static final java.util.Set<String> PREPARED_ELSEWHERE = java.util.Set.of("26000", "42P05");

    private final DataSource dataSource;

    private final PoolingProperties properties;

    private volatile boolean checked;

    PoolingCheck(DataSource dataSource, PoolingProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        checkOnce();
    }

    /** Checks, unless done already (before the migrations). */
    void checkOnce() {
        if (this.checked) {
            return;
        }
        try {
            check();
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not check bulkload.database.pooling: " + ex.getMessage(), ex);
        }
        this.checked = true;
    }

    void check() throws SQLException {
        Pooling found = detect();
        Pooling configured = this.properties.pooling();
        if (found != configured) {
            throw new PoolingMismatchException(configured, found);
        }
        if (found == Pooling.TRANSACTION) {
            int threshold = prepareThreshold();
            if (threshold != 0) {
                throw new PoolingMismatchException(threshold);
            }
        }
        logger.info("Database connections: {} pooling (bulkload.database.pooling), as the connections show",
                found.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * What the connections do: whether consecutive transactions of one connection keep their backend. A statement
     * the driver prepared on one backend that is missing on, or clashes with one on, the backend it reaches now
     * ({@code 26000}, {@code 42P05}) says the same: behind an undeclared transaction pooler the driver's own
     * {@code BEGIN}/{@code ROLLBACK} may meet that before the pids do.
     */
    Pooling detect() throws SQLException {
        try {
            return comparePids();
        }
        catch (SQLException ex) {
            if (PREPARED_ELSEWHERE.contains(ex.getSQLState())) {
                return Pooling.TRANSACTION;
            }
            throw ex;
        }
    }

    private Pooling comparePids() throws SQLException {
        try (Connection a = this.dataSource.getConnection(); Connection b = this.dataSource.getConnection()) {
            a.setAutoCommit(true);
            for (int round = 0; round < ROUNDS; round++) {
                int first = backend(a);
                b.setAutoCommit(false);
                try {
                    int other = backend(b);
                    int again = backend(a);
                    if (other == first || again != first) {
                        return Pooling.TRANSACTION;
                    }
                }
                finally {
                    b.rollback();
                    b.setAutoCommit(true);
                }
            }
            return Pooling.SESSION;
        }
    }

    private int prepareThreshold() throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            return connection.unwrap(BaseConnection.class).getPrepareThreshold();
        }
    }

    private static int backend(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // run often here, and maybe behind a transaction pooler the setting does not declare yet: never prepared
            // on the server
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            try (ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
