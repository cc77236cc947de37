package dev.bulkload.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The statements that write a load's row in {@code bulkload.loads}: on the load's own connection (inside its
 * transaction, so the row commits with the data) or on one of the pool's (a short transaction of its own).
 */
@Component
class LoadRows {

    // one statement for every write of a load's row: the first one inserts it, the others update it while it is
    // still running, and nothing overwrites a row that ended (a late progress write, a repeated final write)
    private static final String UPSERT = """
            insert into bulkload.loads (id, table_name, principal, format, mode, method, atomic, dry_run, options,
                status, rows_received, rows_inserted, rows_updated, rows_skipped, rows_rejected, rows_committed,
                chunks_committed, batches, bytes_read, rows_per_second, started_at, updated_at, finished_at, problem,
                replica, attempt, trace_id, source_name, source_header, backend_pid)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp(),
                case when ? then clock_timestamp() end, ?::jsonb, ?, ?, ?, ?, ?, %s)
            on conflict (id) do update set status = excluded.status, rows_received = excluded.rows_received,
                rows_inserted = excluded.rows_inserted, rows_updated = excluded.rows_updated,
                rows_skipped = excluded.rows_skipped, rows_rejected = excluded.rows_rejected,
                rows_committed = excluded.rows_committed, chunks_committed = excluded.chunks_committed, batches = excluded.batches, bytes_read = excluded.bytes_read,
                rows_per_second = excluded.rows_per_second, updated_at = excluded.updated_at,
                finished_at = excluded.finished_at, problem = excluded.problem,
                backend_pid = coalesce(loads.backend_pid, excluded.backend_pid), attempt = excluded.attempt,
                trace_id = coalesce(excluded.trace_id, loads.trace_id),
                source_name = coalesce(excluded.source_name, loads.source_name),
                source_header = coalesce(excluded.source_header, loads.source_header)
            %s
            """;

    /**
     * On the load's own connection, in the transaction that commits its data: what it writes is the truth once it
     * commits, even over a row housekeeping marked abandoned meanwhile (but never over a newer attempt's); its
     * backend is this session's.
     */
    private static final String UPSERT_IN_LOAD = UPSERT.formatted("pg_backend_pid()",
            "where loads.attempt <= excluded.attempt");

    /**
     * On a pooled connection: never over a row that ended (a late write, a repeated one), except one marked
     * abandoned by a replica that thought this one dead; the load's backend is the one whose transaction carries
     * the load's tag.
     */
    private static final String UPSERT_FROM_POOL = UPSERT.formatted(
            "(select pid from pg_stat_activity where application_name = ? limit 1)",
            "where loads.attempt < excluded.attempt or (loads.attempt = excluded.attempt and (loads.status = 'running' "
                    + "or loads.problem->>'type' = '" + LoadHousekeeping.ABANDONED + "'))");

    // progress from the load's replica: counts only grow (a chunk's transaction may have written newer ones), and a
    // row locked by the load's own transaction is skipped rather than waited for; tells whether a cancel was asked
    private static final String PROGRESS = """
            update bulkload.loads set rows_received = greatest(rows_received, ?),
                rows_inserted = greatest(rows_inserted, ?), rows_updated = greatest(rows_updated, ?),
                rows_skipped = greatest(rows_skipped, ?), rows_rejected = greatest(rows_rejected, ?),
                batches = greatest(batches, ?), bytes_read = greatest(bytes_read, ?), rows_per_second = ?,
                updated_at = clock_timestamp()
            where id = (select id from bulkload.loads where id = ? and attempt = ? and status = 'running'
                for update skip locked)
            returning cancel_requested
            """;

    private final JsonMapper json;

    LoadRows(JsonMapper json) {
        this.json = json;
    }

    /**
     * Writes a running load's progress (a heartbeat when nothing changed).
     * @return whether a cancel was asked for
     */
    boolean progress(Connection connection, UUID id, int attempt, LoadCounts counts, long rowsPerSecond)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PROGRESS)) {
            int i = 1;
            statement.setLong(i++, counts.rowsReceived());
            statement.setLong(i++, counts.rowsInserted());
            statement.setLong(i++, counts.rowsUpdated());
            statement.setLong(i++, counts.rowsSkipped());
            statement.setLong(i++, counts.rowsRejected());
            statement.setLong(i++, counts.batches());
            statement.setLong(i++, counts.bytesRead());
            statement.setLong(i++, rowsPerSecond);
            statement.setObject(i++, id);
            statement.setInt(i, attempt);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Ends a {@code SET LOCAL ROLE} for the rest of the load's open transaction. */
    void actAsServiceUser(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL ROLE NONE");
        }
    }

    /** Writes the row on the load's own connection, in its open transaction. */
    void writeInLoad(Connection connection, LoadRow row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_IN_LOAD)) {
            bind(statement, row);
            statement.executeUpdate();
        }
    }

    /** Writes the row on a pooled connection (auto-commit), naming the load's backend by its tag. */
    void writeFromPool(Connection connection, LoadRow row, String backendTag) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_FROM_POOL)) {
            int next = bind(statement, row);
            statement.setString(next, backendTag);
            statement.executeUpdate();
        }
    }

    private int bind(PreparedStatement statement, LoadRow row) throws SQLException {
        LoadStart start = row.start();
        LoadCounts counts = row.counts();
        int i = 1;
        statement.setObject(i++, row.id());
        statement.setString(i++, start.table());
        statement.setString(i++, start.principal());
        statement.setString(i++, start.format());
        statement.setString(i++, start.mode());
        statement.setString(i++, start.method());
        statement.setBoolean(i++, start.atomic());
        statement.setBoolean(i++, start.dryRun());
        statement.setString(i++, this.json.writeValueAsString(start.options()));
        statement.setString(i++, row.status().label());
        statement.setLong(i++, counts.rowsReceived());
        statement.setLong(i++, counts.rowsInserted());
        statement.setLong(i++, counts.rowsUpdated());
        statement.setLong(i++, counts.rowsSkipped());
        statement.setLong(i++, counts.rowsRejected());
        statement.setLong(i++, row.rowsCommitted());
        statement.setInt(i++, row.chunksCommitted());
        statement.setLong(i++, counts.batches());
        statement.setLong(i++, counts.bytesRead());
        statement.setLong(i++, row.rowsPerSecond());
        statement.setTimestamp(i++, Timestamp.from(row.startedAt()));
        statement.setBoolean(i++, row.status() != LoadStatus.RUNNING);
        if (row.problem() != null) {
            statement.setString(i++, this.json.writeValueAsString(row.problem()));
        }
        else {
            statement.setNull(i++, Types.VARCHAR);
        }
        statement.setString(i++, row.replica());
        statement.setInt(i++, row.attempt());
        statement.setString(i++, start.traceId());
        statement.setString(i++, withoutNul(row.sourceName()));
        statement.setString(i++, withoutNul(row.sourceHeader()));
        return i;
    }

    /**
     * One write of a load's row.
     * @param id the load
     * @param attempt the attempt that writes it
     * @param start what was recorded when it started
     * @param status its status after this write
     * @param counts its counts
     * @param rowsCommitted rows that stay in the table if this write commits
     * @param chunksCommitted transactions of the load that committed data, this one included if it is one
     * @param rowsPerSecond the current rate while running, the load's when done
     * @param startedAt when it started
     * @param problem the RFC 9457 problem when it failed or was cancelled, else null
     * @param replica the instance running it
     * @param sourceName the uploaded file's name, or null
     * @param sourceHeader the CSV header row as received, or null
     */
    record LoadRow(UUID id, int attempt, LoadStart start, LoadStatus status, LoadCounts counts, long rowsCommitted,
            int chunksCommitted, long rowsPerSecond, Instant startedAt, Map<String, Object> problem, String replica,
            String sourceName, String sourceHeader) {
    }

    /** PostgreSQL text cannot hold NUL; a file name or a header row may. */
    private static String withoutNul(String text) {
        return (text != null && text.indexOf('\0') >= 0) ? text.replace('\0', '\uFFFD') : text;
    }

    // a running row if none exists: waits for a transaction still inserting it (a COMMIT in doubt) to end
    private static final String INSERT_IF_ABSENT = """
            insert into bulkload.loads (id, table_name, principal, format, mode, method, atomic, dry_run, options,
                status, started_at, replica, trace_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'running', ?, ?, ?)
            on conflict (id) do nothing
            """;

    // waits for a transaction still updating the row (a COMMIT in doubt) to end
    private static final String LOCK_ROW = """
            select status, chunks_committed, rows_committed from bulkload.loads where id = ? for update
            """;

    private static final String LOCK_TIMEOUT = "select set_config('lock_timeout', ?, true)";

    private static final String SETTLE = """
            update bulkload.loads set status = ?, problem = ?::jsonb, finished_at = clock_timestamp(),
                updated_at = clock_timestamp()
            where id = ? and attempt = ? and (status = 'running' or problem->>'type' = '%s')
            """.formatted(LoadHousekeeping.ABANDONED);

    /**
     * In a transaction of its own on {@code connection}: makes sure the row exists and locks it, so that a
     * transaction of the load still in doubt has ended, then reads what committed.
     * @return the row's status, its committed chunks and rows
     */
    Committed lockAndRead(Connection connection, UUID id, LoadStart start, Instant startedAt, String replica,
            long lockTimeoutMillis) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement statement = connection.prepareStatement(LOCK_TIMEOUT)) {
                statement.setString(1, Long.toString(lockTimeoutMillis));
                statement.execute();
            }
            insertIfAbsent(connection, id, start, startedAt, replica);
            Committed committed;
            try (PreparedStatement statement = connection.prepareStatement(LOCK_ROW)) {
                statement.setObject(1, id);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    committed = new Committed(LoadStatus.of(rs.getString("status")), rs.getInt("chunks_committed"),
                            rs.getLong("rows_committed"));
                }
            }
            connection.commit();
            return committed;
        }
        catch (SQLException | RuntimeException ex) {
            connection.rollback();
            throw ex;
        }
        finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Ends a running row as {@code status} without touching its counts, which only the load's own transactions
     * wrote: for a load whose last COMMIT's outcome the service could not learn. A row that ended stays as it is.
     */
    void settle(Connection connection, UUID id, int attempt, LoadStart start, Instant startedAt, String replica,
            LoadStatus status, Map<String, Object> problem) throws SQLException {
        insertIfAbsent(connection, id, start, startedAt, replica);
        try (PreparedStatement statement = connection.prepareStatement(SETTLE)) {
            statement.setString(1, status.label());
            statement.setString(2, (problem != null) ? this.json.writeValueAsString(problem) : null);
            statement.setObject(3, id);
            statement.setInt(4, attempt);
            statement.executeUpdate();
        }
    }

    private void insertIfAbsent(Connection connection, UUID id, LoadStart start, Instant startedAt, String replica)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_IF_ABSENT)) {
            int i = 1;
            statement.setObject(i++, id);
            statement.setString(i++, start.table());
            statement.setString(i++, start.principal());
            statement.setString(i++, start.format());
            statement.setString(i++, start.mode());
            statement.setString(i++, start.method());
            statement.setBoolean(i++, start.atomic());
            statement.setBoolean(i++, start.dryRun());
            statement.setString(i++, this.json.writeValueAsString(start.options()));
            statement.setTimestamp(i++, Timestamp.from(startedAt));
            statement.setString(i++, replica);
            statement.setString(i++, start.traceId());
            statement.executeUpdate();
        }
    }

    /**
     * What a load's row says committed.
     * @param status its status
     * @param chunks transactions of the load that committed data
     * @param rows rows of the load that stay in the table
     */
    record Committed(LoadStatus status, int chunks, long rows) {
    }
}
