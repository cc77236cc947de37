package dev.bulkload.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.row.Reject;
import dev.bulkload.session.LoadSession;

/**
 * The Idempotency-Keys of loads, kept on their rows in {@code bulkload.loads} with the per-chunk ledger in
 * {@code bulkload.load_chunks}. A load claims its key in a short transaction of its own, under a
 * transaction-level advisory lock on the key (so claims of one key go one at a time, from any replica): its running
 * row carries the key from then on. Whether a key's load still runs is decided from that row, so no session state
 * is needed and it holds behind a transaction pooler too: running, and either its transaction holds the row or its
 * replica wrote its heartbeat within {@code bulkload.loads.abandoned-after}. Exactly-once does not rest on that
 * verdict: the key's unique index and the ledger's primary key refuse the COMMIT of a second attempt at the same
 * chunk. Keys expire with their loads ({@code bulkload.loads.retention}).
 */
@Component
public class IdempotencyKeys {

    private static final Logger logger = LoggerFactory.getLogger(IdempotencyKeys.class);

    private static final String LOCK = "select pg_advisory_xact_lock(?)";

    // a row its load's transaction holds (writing its final state, committing) is skipped: that load is alive
    private static final String UNLOCKED = "select 1 from bulkload.loads where id = ? for share skip locked";

    // the earlier attempt left nothing (no answer, no committed chunk): its row keeps its history, not the key
    private static final String RELEASE = """
            update bulkload.loads set idempotency_key = null, fingerprint = null where id = ?
            """;

    private static final String ABANDON = LoadHousekeeping.ABANDON + """
            where id = ? and status = 'running'
            """;

    // a load that succeeded but whose answer was not recorded (its replica died in between) is answered with its
    // report rebuilt from the row, which committed with the data
    private static final String FIND = """
            select id, status, atomic, fingerprint, response_status, chunks_committed, attempt,
                status = 'running' and updated_at > clock_timestamp() - ?::interval as heartbeat,
                coalesce(response_body, case when status = 'succeeded' then jsonb_build_object(
                    'id', id, 'table', table_name, 'format', format, 'mode', mode, 'method', method,
                    'atomic', atomic, 'dryRun', dry_run, 'rowsReceived', rows_received,
                    'rowsInserted', rows_inserted, 'rowsUpdated', rows_updated, 'rowsSkipped', rows_skipped,
                    'rowsRejected', rows_rejected, 'rejects', '[]'::jsonb, 'rejectsTruncated', rows_rejected > 0,
                    'batches', batches, 'bytesRead', bytes_read,
                    'durationMs', (extract(epoch from coalesce(finished_at, updated_at) - started_at) * 1000)::bigint,
                    'rowsPerSecond', rows_per_second, 'resumedFromRecord', resumed_from_record) end)::text
                    as response
            from bulkload.loads where coalesce(principal, '') = ? and idempotency_key = ?
            """;

    // a row recorded before callers were named by kind: 'legacy:<name>' (V3 marked them), or a bare name written by
    // a replica of an earlier version during a rolling upgrade
    private static final String UNATTRIBUTED = """
            select id from bulkload.loads
            where coalesce(principal, '') in (?, ?) and idempotency_key = ?
            limit 1
            """;

    /** The prefixes of callers' names ({@code key:}, {@code jwt:}), and of rows whose caller is not known. */
    private static final List<String> KINDS = List.of("key:", "jwt:", "other:", "legacy:");

    private static final String CHUNKS = """
            select chunk, first_record, last_record, byte_from, byte_to, sha256, rows_received, rows_inserted,
                rows_updated, rows_skipped, rows_rejected
            from bulkload.load_chunks where load_id = ? order by chunk
            """;

    // on the load's own connection: the row runs again, on this replica and backend; rejects of chunks that never
    // committed go (the retry stores its own); a cancel asked of the attempt that ended does not stop this one
    private static final String PREPARE_RESUME = """
            with stale as (delete from bulkload.load_rejects where load_id = ? and record >= ?)
            update bulkload.loads set status = 'running', finished_at = null, problem = null, cancel_requested = false,
                replica = ?, backend_pid = pg_backend_pid(), updated_at = clock_timestamp(), attempt = ?
            where id = ? and attempt < ?
            """;

    // in the chunk's transaction: the ledger row and the key commit with the chunk's rows
    private static final String LEDGER = """
            with ledger as (
                insert into bulkload.load_chunks (load_id, chunk, first_record, last_record, byte_from, byte_to,
                    sha256, rows_received, rows_inserted, rows_updated, rows_skipped, rows_rejected)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))
            update bulkload.loads set idempotency_key = ?, fingerprint = ?, resumed_from_record = ?
            where id = ?
            """;

    private static final String EARLIER_REJECTS = """
            select record, line, column_name, sql_state, constraint_name, message, raw
            from bulkload.load_rejects where load_id = ? and record < ? order by record limit ?
            """;

    private static final String KEY = """
            update bulkload.loads set idempotency_key = ?, fingerprint = ? where id = ?
            """;

    private static final String RESPOND = """
            update bulkload.loads set idempotency_key = ?, fingerprint = ?, response_status = ?,
                response_body = ?::jsonb
            where id = ?
            """;

    private final DataSource dataSource;

    private final LoadRegistry registry;

    private final JsonMapper json;

    private final LoadsProperties properties;

    IdempotencyKeys(DataSource dataSource, LoadRegistry registry, JsonMapper json, LoadsProperties properties) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.json = json;
        this.properties = properties;
    }

    /**
     * Opens the key's claim: a transaction on the load's connection that takes the key's transaction-level advisory
     * lock, waiting for a claim of the same key from another load to end. What follows reads and writes under it
     * ({@link #find}, {@link #register}, {@link #release}, {@link #prepareResume}); {@link #commit} ends it.
     */
    public void lock(LoadSession session, String principal, String key) {
        try (PreparedStatement statement = session.connection().prepareStatement(LOCK)) {
            statement.setLong(1, lockKey(principal, key));
            statement.execute();
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key lock", ex);
        }
    }

    /** Ends the key's claim: what it wrote holds, the lock goes. */
    public void commit(LoadSession session) {
        try {
            session.connection().commit();
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key claim", ex);
        }
    }

    /** Ends the key's claim without a trace. */
    public void rollback(LoadSession session) {
        try {
            session.connection().rollback();
        }
        catch (SQLException ex) {
            session.markBroken();
            logger.warn("Idempotency-Key claim not rolled back ({}); the connection is evicted", ex.getMessage());
        }
    }

    /** The load this caller sent with this key, or null; read under the key's lock, in a statement of its own. */
    public KeyedLoad find(LoadSession session, String principal, String key) {
        Connection connection = session.connection();
        try {
            KeyedLoad found = null;
            boolean heartbeat = false;
            try (PreparedStatement statement = connection.prepareStatement(FIND)) {
                statement.setString(1, this.properties.abandonedAfter().toMillis() + " milliseconds");
                statement.setString(2, (principal != null) ? principal : "");
                statement.setString(3, key);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        int status = rs.getInt("response_status");
                        Integer responseStatus = rs.wasNull() ? null : status;
                        UUID id = rs.getObject("id", UUID.class);
                        heartbeat = rs.getBoolean("heartbeat");
                        found = new KeyedLoad(id, LoadStatus.of(rs.getString("status")), rs.getBoolean("atomic"),
                                rs.getString("fingerprint"),
                                (responseStatus == null && rs.getString("response") != null) ? Integer.valueOf(200)
                                        : responseStatus,
                                rs.getString("response"), rs.getInt("chunks_committed"), List.of(),
                                rs.getInt("attempt"), false);
                    }
                }
            }
            if (found == null) {
                return null;
            }
            boolean alive = found.status() == LoadStatus.RUNNING && (heartbeat || held(connection, found.id()));
            return new KeyedLoad(found.id(), found.status(), found.atomic(), found.fingerprint(),
                    found.responseStatus(), found.response(), found.chunksCommitted(),
                    found.atomic() ? List.of() : chunks(connection, found.id()), found.attempt(), alive);
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key lookup", ex);
        }
    }

    /**
     * A load with this key recorded before callers were named by kind, under this caller's bare name (the part of
     * {@code principal} after its {@code key:} or {@code jwt:}), or null: its caller may have been an API key or a
     * token subject of that name, so no caller may take it as its own. Read under the key's lock, in its claim.
     */
    public UUID unattributed(LoadSession session, String principal, String key) {
        if (principal == null || principal.indexOf(':') < 0) {
            return null;
        }
        String name = principal.substring(principal.indexOf(':') + 1);
        // a bare name that looks namespaced is some caller's current name, never an earlier version's
        boolean bare = KINDS.stream().noneMatch(name::startsWith);
        Connection connection = session.connection();
        try {
            UUID found = null;
            try (PreparedStatement statement = connection.prepareStatement(UNATTRIBUTED)) {
                statement.setString(1, "legacy:" + name);
                statement.setString(2, bare ? name : "legacy:" + name);
                statement.setString(3, key);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        found = rs.getObject("id", UUID.class);
                    }
                }
            }
            return found;
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key lookup", ex);
        }
    }

    /** Whether another transaction holds the load's row: its own, writing its final state or committing. */
    private static boolean held(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNLOCKED)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return !rs.next();
            }
        }
    }

    /**
     * The key is new, or free again: the load's running row carries it from this claim on, so a retry from any
     * replica finds it running (its heartbeat kept by this replica from the claim's commit).
     * @param fingerprint the request's fingerprint (the body's follows when the load records its answer)
     */
    public void register(LoadSession session, RegisteredLoad entry, String key, String fingerprint) {
        try {
            entry.writeClaim(session.connection());
            keyInTransaction(session, entry.id(), key, fingerprint);
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key claim", ex);
        }
    }

    /**
     * The earlier attempt left nothing to go on from (no answer to replay, no committed chunk): its row keeps its
     * history but not the key, which starts a new load; a row still running whose replica died is ended as
     * abandoned first.
     */
    public void release(LoadSession session, KeyedLoad earlier) {
        Connection connection = session.connection();
        try {
            if (earlier.status() == LoadStatus.RUNNING) {
                try (PreparedStatement statement = connection.prepareStatement(ABANDON)) {
                    statement.setObject(1, earlier.id());
                    statement.executeUpdate();
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(RELEASE)) {
                statement.setObject(1, earlier.id());
                statement.executeUpdate();
            }
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key claim", ex);
        }
    }

    private static List<LedgerChunk> chunks(Connection connection, UUID id) throws SQLException {
        List<LedgerChunk> chunks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(CHUNKS)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    chunks.add(new LedgerChunk(rs.getInt("chunk"), rs.getLong("first_record"),
                            rs.getLong("last_record"), rs.getLong("byte_from"), rs.getLong("byte_to"),
                            rs.getBytes("sha256"), rs.getLong("rows_received"), rs.getLong("rows_inserted"),
                            rs.getLong("rows_updated"), rs.getLong("rows_skipped"), rs.getLong("rows_rejected")));
                }
            }
        }
        return chunks;
    }

    /**
     * Before a load resumes an earlier attempt, in the key's claim: the row is running again, on this replica;
     * rejects stored for records from {@code fromRecord} on go, and any cancel flag.
     */
    public void prepareResume(LoadSession session, UUID id, long fromRecord, int attempt) {
        Connection connection = session.connection();
        try (PreparedStatement statement = connection.prepareStatement(PREPARE_RESUME)) {
            statement.setObject(1, id);
            statement.setLong(2, fromRecord);
            statement.setString(3, this.registry.replica());
            statement.setInt(4, attempt);
            statement.setObject(5, id);
            statement.setInt(6, attempt);
            statement.executeUpdate();
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key resume", ex);
        }
    }

    /**
     * The first {@code limit} stored rejects of an earlier attempt's committed chunks (records before
     * {@code fromRecord}), for the report of the load that resumes it.
     */
    public List<Reject> earlierRejects(LoadSession session, UUID id, long fromRecord, int limit) {
        Connection connection = session.connection();
        List<Reject> rejects = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(EARLIER_REJECTS)) {
            statement.setObject(1, id);
            statement.setLong(2, fromRecord);
            statement.setInt(3, limit);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long line = rs.getLong("line");
                    Long lineOrNull = rs.wasNull() ? null : line;
                    rejects.add(new Reject(rs.getLong("record"), lineOrNull, rs.getString("column_name"),
                            rs.getString("sql_state"), rs.getString("constraint_name"), rs.getString("message"),
                            rs.getString("raw")));
                }
            }
            return rejects;
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key resume", ex);
        }
    }

    /**
     * In a non-atomic load's chunk transaction, after the registry wrote its row: the chunk's ledger row, and the
     * key on the load's row, commit with the chunk.
     * @param resumedFrom the first record this attempt loads when it resumes an earlier one, else null
     */
    public void chunkCommitting(LoadSession session, UUID id, String key, String fingerprint, Long resumedFrom,
            LedgerChunk chunk) {
        try (PreparedStatement statement = session.connection().prepareStatement(LEDGER)) {
            int i = 1;
            statement.setObject(i++, id);
            statement.setInt(i++, chunk.chunk());
            statement.setLong(i++, chunk.firstRecord());
            statement.setLong(i++, chunk.lastRecord());
            statement.setLong(i++, chunk.byteFrom());
            statement.setLong(i++, chunk.byteTo());
            statement.setBytes(i++, chunk.sha256());
            statement.setLong(i++, chunk.rowsReceived());
            statement.setLong(i++, chunk.rowsInserted());
            statement.setLong(i++, chunk.rowsUpdated());
            statement.setLong(i++, chunk.rowsSkipped());
            statement.setLong(i++, chunk.rowsRejected());
            statement.setString(i++, key);
            statement.setString(i++, fingerprint);
            if (resumedFrom != null) {
                statement.setLong(i++, resumedFrom);
            }
            else {
                statement.setNull(i++, Types.BIGINT);
            }
            statement.setObject(i, id);
            statement.executeUpdate();
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("load ledger", ex);
        }
    }

    /** In an atomic load's transaction, after the registry wrote its final row: the key commits with the data. */
    public void keyInTransaction(LoadSession session, UUID id, String key, String fingerprint) {
        try (PreparedStatement statement = session.connection().prepareStatement(KEY)) {
            statement.setString(1, key);
            statement.setString(2, fingerprint);
            statement.setObject(3, id);
            statement.executeUpdate();
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("Idempotency-Key", ex);
        }
    }

    /**
     * After the load ended with an answer a retry is to get again: the answer, on a pooled connection (the load's
     * row exists by then). Not recorded when the database cannot take it: a retry of a load that succeeded is
     * then answered with the report rebuilt from its row; one of a load that failed runs again.
     */
    public void respond(UUID id, String key, String fingerprint, int status, Object body) {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(RESPOND)) {
            connection.setAutoCommit(true);
            statement.setString(1, key);
            statement.setString(2, fingerprint);
            statement.setInt(3, status);
            statement.setString(4, this.json.writeValueAsString(body));
            statement.setObject(5, id);
            statement.executeUpdate();
        }
        catch (SQLException | RuntimeException ex) {
            logger.warn("Load {}: the answer to replay for its Idempotency-Key was not recorded: {}", id,
                    ex.getMessage());
        }
    }

    /** The advisory lock's key: the caller and the key, hashed into PostgreSQL's 64-bit key space. */
    static long lockKey(String principal, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("bulkload:idempotency-key\0".getBytes(StandardCharsets.UTF_8));
            sha.update(((principal != null) ? principal : "").getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest();
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xFF);
            }
            return value;
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
