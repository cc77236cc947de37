package dev.bulkload.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a load on one pinned connection: it is bound to the thread for the data source, so every
 * transaction the transaction manager begins meanwhile (one for an atomic load, one per chunk
 * otherwise) and every writer uses it. Temporary staging tables therefore live across a load's
 * transactions, and are discarded when the load ends.
 */
@Component
public class LoadSessions {

    private static final Logger logger = LoggerFactory.getLogger(LoadSessions.class);

    private final DataSource dataSource;

    LoadSessions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs the work with a connection pinned to this thread; returns what it returns. */
    public <T> T run(Supplier<T> work) {
        if (TransactionSynchronizationManager.hasResource(this.dataSource)) {
            return work.get();
        }
        Connection connection = DataSourceUtils.getConnection(this.dataSource);
        TransactionSynchronizationManager.bindResource(this.dataSource, new ConnectionHolder(connection));
        try {
            return work.get();
        }
        finally {
            TransactionSynchronizationManager.unbindResource(this.dataSource);
            discardTemporaryTables(connection);
            DataSourceUtils.releaseConnection(connection, this.dataSource);
        }
    }

    private void discardTemporaryTables(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            statement.execute("DISCARD TEMP");
        }
        catch (SQLException ex) {
            logger.debug("Could not discard temporary tables after a load", ex);
        }
    }
}
