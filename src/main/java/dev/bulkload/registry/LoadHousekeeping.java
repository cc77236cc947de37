package dev.bulkload.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The registry's upkeep, run by one replica at a time (whichever takes a transaction-scoped advisory lock; the
 * others skip the round): loads whose replica died are marked failed (abandoned: a running row whose heartbeat
 * stopped for {@code abandoned-after}), and finished loads older than {@code retention} are purged with their
 * rejects and chunks (and so their Idempotency-Keys).
 */
@Component
class LoadHousekeeping {

    /** The problem type of a load whose replica stopped writing its heartbeat. */
    static final String ABANDONED = "urn:bulkload:problem:abandoned";

    private static final Logger logger = LoggerFactory.getLogger(LoadHousekeeping.class);

    /** The advisory lock's key: "bulkload" as a number, in the key space of this service's own schema. */
    private static final long LOCK_KEY = 0x62756c6b6c6f6164L;

    private static final String TRY_LOCK = "select pg_try_advisory_xact_lock(?)";

    /** Ends running rows as abandoned (the WHERE clause follows); also what a retry does to its key's dead load. */
    static final String ABANDON = """
            update bulkload.loads set status = 'failed', finished_at = clock_timestamp(),
                problem = jsonb_build_object('type', '%s', 'title', 'Load abandoned', 'status', 500, 'detail',
                    'The instance running this load stopped (no progress written since '
                    || to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    || '); whatever it had not committed was rolled back', 'loadId', id, 'table', table_name,
                    'rowsCommitted', rows_committed)
            """.formatted(ABANDONED);

    // rows a load's own transaction holds are skipped: that load is alive
    private static final String MARK_ABANDONED = ABANDON + """
            where id in (select id from bulkload.loads
                         where status = 'running' and updated_at < clock_timestamp() - ?::interval
                         for update skip locked)
            """;

    // rejects and chunks go with their load (on delete cascade)
    private static final String PURGE = """
            delete from bulkload.loads
            where id in (select id from bulkload.loads
                         where status <> 'running' and finished_at < clock_timestamp() - ?::interval
                         for update skip locked)
            """;

    private final DataSource dataSource;

    private final LoadsProperties properties;

    LoadHousekeeping(DataSource dataSource, LoadsProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    /**
     * One round, if no other replica runs one now.
     * @return loads marked abandoned and loads purged, or null when another replica holds the lock
     */
    Result run() {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Result result = null;
                if (tryLock(connection)) {
                    int abandoned = update(connection, MARK_ABANDONED, null,
                            this.properties.abandonedAfter().toMillis() + " milliseconds");
                    int purged = update(connection, PURGE, null,
                            this.properties.retention().toMillis() + " milliseconds");
                    result = new Result(abandoned, purged);
                    if (abandoned > 0 || purged > 0) {
                        logger.info("Load registry: {} loads marked abandoned, {} finished loads purged", abandoned,
                                purged);
                    }
                }
                connection.commit();
                return result;
            }
            catch (SQLException ex) {
                connection.rollback();
                throw ex;
            }
            finally {
                connection.setAutoCommit(true);
            }
        }
        catch (SQLException ex) {
            logger.warn("Load registry housekeeping failed this time: {}", ex.getMessage());
            return null;
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TRY_LOCK)) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static int update(Connection connection, String sql, String type, String interval) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            if (type != null) {
                statement.setString(i++, type);
            }
            statement.setString(i, interval);
            return statement.executeUpdate();
        }
    }

    /**
     * What one round did.
     * @param abandoned running loads marked failed because their replica stopped
     * @param purged finished loads deleted
     */
    record Result(int abandoned, int purged) {
    }
}
