package dev.bulkload.pooling;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Checks at start that {@code bulkload.database.pooling} says what the connections do, and refuses to start
 * otherwise (rather than failing the first load that meets the difference). Two pooled connections, A and B: A asks
 * for its backend's pid in one transaction; B opens a transaction and asks for its own, which a transaction pooler
 * gives from the backends just freed (PgBouncer reuses the last one freed first), so often A's; A asks again. A
 * backend that served A and then B, or A reaching another backend, is transaction pooling; A keeping its backend
 * over a few rounds is a direct connection or session pooling.
 */
@Component
class PoolingCheck implements InitializingBean {

    private static final Logger logger = LoggerFactory.getLogger(PoolingCheck.class);

    private static final int ROUNDS = 3;

    private final DataSource dataSource;

    private final PoolingProperties properties;

    PoolingCheck(DataSource dataSource, PoolingProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
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

    /** What the connections do: whether consecutive transactions of one connection keep their backend. */
    Pooling detect() throws SQLException {
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
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
