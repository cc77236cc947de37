package dev.bulkload.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.bulkload.jdbc.SqlFailure;

/**
 * Cancels a running load from any replica: sets its row's {@code cancel_requested} (its replica's progress writer
 * sees it within {@code progress-interval}, its thread stops at the next rows it reads or chunk it starts) and
 * cancels the statement its backend runs now, found by the tag its transactions carry as {@code application_name}
 * so no other session's statement can be hit; the load's thread tells that cancel from a statement timeout by the
 * flag.
 */
@Component
class LoadCancellation {

    private static final Logger logger = LoggerFactory.getLogger(LoadCancellation.class);

    private static final String REQUEST = """
            update bulkload.loads set cancel_requested = true where id = ? and status = 'running'
            """;

    private static final String CANCEL_BACKEND = """
            select count(*) filter (where pg_cancel_backend(pid)) from pg_stat_activity where application_name = ?
            """;

    private final DataSource dataSource;

    private final LoadRegistry registry;

    LoadCancellation(DataSource dataSource, LoadRegistry registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    /** @return whether the load was running (and is now asked to stop) */
    boolean cancel(UUID id) {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(true);
            int requested;
            try (PreparedStatement statement = connection.prepareStatement(REQUEST)) {
                statement.setObject(1, id);
                requested = statement.executeUpdate();
            }
            if (requested == 0) {
                return false;
            }
            this.registry.cancelLocally(id);
            try (PreparedStatement statement = connection.prepareStatement(CANCEL_BACKEND)) {
                statement.setString(1, RegisteredLoad.backendTag(id));
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    logger.info("Load {}: cancel requested ({} statement(s) cancelled)", id, rs.getLong(1));
                }
            }
            return true;
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("cancel load", ex);
        }
    }
}
