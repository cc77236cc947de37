package dev.bulkload.session;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

import dev.bulkload.jdbc.SqlFailure;

/** Opens {@link LoadSession}s: one pooled connection per load, held for the whole load. */
@Component
public class LoadSessions {

    private final DataSource dataSource;

    LoadSessions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A session on a connection of its own, in manual-commit mode. */
    public LoadSession open() {
        Connection connection;
        try {
            connection = this.dataSource.getConnection();
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("connect", ex);
        }
        try {
            connection.setAutoCommit(false);
            // read from the server's startup parameters: no round trip
            int version = connection.getMetaData().getDatabaseMajorVersion();
            return new LoadSession(this.dataSource, connection, version);
        }
        catch (SQLException ex) {
            LoadSession.evict(this.dataSource, connection);
            throw SqlFailure.translate("connect", ex);
        }
    }
}
