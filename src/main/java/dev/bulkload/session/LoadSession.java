package dev.bulkload.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.jdbc.SqlFailure;

/**
 * One load's hold on the database: a pooled connection in manual-commit mode, handed explicitly to
 * whatever writes; the load's transactions (one when atomic, one per chunk otherwise), chunk
 * boundaries, and its temporary tables, which live across its transactions. When the load ends the
 * connection goes back clean (rolled back, temporary tables discarded) or, when that cannot be
 * vouched for (a failed rollback, an {@link Error} mid-statement), is evicted from the pool.
 */
public final class LoadSession implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(LoadSession.class);

    /**
     * The wait limits each physical connection was given (by identity: the driver's connection behind the pool's
     * proxy); weak, so a connection the pool closed is forgotten.
     */
    private static final Map<Object, String> LIMITED = Collections.synchronizedMap(new WeakHashMap<>());

    // the tag is the load registry's "bulkload:<uuid>": letters, digits, dashes and a colon only
    private static final Pattern TAG_FORM = Pattern.compile("[A-Za-z0-9:-]{1,63}");

    private final DataSource dataSource;

    private final Connection connection;

    private final int serverVersion;

    private final List<String> prelude = new ArrayList<>();

    /** Settings each transaction of this load makes for itself ({@code set_config(name, value, true)}), by name. */
    private final Map<String, String> localSettings = new LinkedHashMap<>();

    private boolean inTransaction;

    private int chunks;

    private boolean temporaryTables;

    private boolean broken;

    private boolean assumesRole;

    LoadSession(DataSource dataSource, Connection connection, int serverVersion) {
        this.dataSource = dataSource;
        this.connection = connection;
        this.serverVersion = serverVersion;
    }

    /** The load's connection; only writers below the ingest layer use it. */
    public Connection connection() {
        return this.connection;
    }

    /** The server's major version, e.g. 15 or 18. */
    public int serverVersion() {
        return this.serverVersion;
    }

    /** A statement every transaction of this load starts with (a SET LOCAL, SET CONSTRAINTS), after its settings. */
    public void addPrelude(String sql) {
        this.prelude.add(sql);
    }

    /**
     * Bounds what every statement of this load may wait: for a lock ({@code lock_timeout}) and for one
     * statement ({@code statement_timeout}); zero means no limit. Set on the physical connection, once in its
     * life (the limits are the service's, the same for every load), so that no transaction spends a round
     * trip on them; the pooled connection then keeps them for whatever else uses it (catalog reads, probes).
     * The milliseconds come from validated {@link Duration}s, never from a request.
     */
    public void limitWaits(Duration lockTimeout, Duration statementTimeout) {
        String limits = "SELECT set_config('lock_timeout', '" + lockTimeout.toMillis() + "', false), "
                + "set_config('statement_timeout', '" + statementTimeout.toMillis() + "', false)";
        try {
            Object physical = this.connection.unwrap(BaseConnection.class);
            if (limits.equals(LIMITED.get(physical))) {
                return;
            }
            // outside any transaction (none is open yet): a session setting that outlives this load
            this.connection.setAutoCommit(true);
            try (Statement statement = this.connection.createStatement()) {
                statement.execute(limits);
            }
            finally {
                this.connection.setAutoCommit(false);
            }
            LIMITED.put(physical, limits);
        }
        catch (SQLException ex) {
            this.broken = true;
            throw SqlFailure.translate("SET timeouts", ex);
        }
    }

    /**
     * Tags each transaction of this load with the load's registry tag as its {@code application_name}, so that a
     * cancel from any replica finds the load's backend in {@code pg_stat_activity} while, and only while, it works
     * for this load. Set per transaction (like {@code SET LOCAL}), in the transaction's first statement.
     */
    public void tag(String tag) {
        if (!TAG_FORM.matcher(tag).matches()) {
            throw new IllegalArgumentException("Not a load tag: " + tag);
        }
        this.localSettings.put("application_name", tag);
    }

    /**
     * Reads the dates and timestamps of this load's transactions in {@code style}: PostgreSQL's {@code DateStyle}
     * for each transaction only (like {@code SET LOCAL}), so the pooled connection goes back as it came. COPY,
     * batched INSERTs and every check in the transaction (casts, {@code pg_input_is_valid}) read values with it.
     */
    public void readDates(DateStyle style) {
        this.localSettings.put("DateStyle", style.setting());
    }

    // bound parameters only: the role name and the table's quoted name never become SQL text here
    private static final String ROLE_CHECK = """
            select pg_has_role(current_user, r.oid, 'MEMBER') as member,
                   has_table_privilege(r.oid, ?::regclass, 'SELECT') as may_select,
                   has_table_privilege(r.oid, ?::regclass, 'INSERT') as may_insert,
                   has_table_privilege(r.oid, ?::regclass, 'UPDATE') as may_update
            from pg_roles r where r.rolname = ?""";

    /**
     * Runs every transaction of this load as {@code role} ({@code SET LOCAL ROLE}, so the pooled connection
     * goes back as the service's own user): checked once, with bound parameters, to exist in {@code pg_roles},
     * to be one the service's user may assume, and to hold each of {@code needed} on {@code table}; then quoted
     * into a prelude statement. Nothing is assumed unless the outcome is {@link RoleCheck.Outcome#ASSUMED}.
     * @param table the table's quoted, schema-qualified name
     * @param needed the table privileges the load needs
     */
    public RoleCheck assumeRole(String role, String table, Set<TablePrivilege> needed) {
        RoleCheck check;
        try (PreparedStatement statement = this.connection.prepareStatement(ROLE_CHECK)) {
            statement.setString(1, table);
            statement.setString(2, table);
            statement.setString(3, table);
            statement.setString(4, role);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    check = RoleCheck.of(RoleCheck.Outcome.UNKNOWN);
                }
                else if (!rs.getBoolean("member")) {
                    check = RoleCheck.of(RoleCheck.Outcome.NOT_MEMBER);
                }
                else {
                    List<TablePrivilege> missing = new ArrayList<>();
                    for (TablePrivilege privilege : TablePrivilege.values()) {
                        String column = "may_" + privilege.name().toLowerCase(Locale.ROOT);
                        if (needed.contains(privilege) && !rs.getBoolean(column)) {
                            missing.add(privilege);
                        }
                    }
                    check = missing.isEmpty() ? RoleCheck.of(RoleCheck.Outcome.ASSUMED)
                            : new RoleCheck(RoleCheck.Outcome.MISSING_PRIVILEGE, missing);
                }
            }
            // the check ran outside the load's transactions: end the one it opened
            this.connection.rollback();
        }
        catch (SQLException ex) {
            this.broken = true;
            throw SqlFailure.translate("role check", ex);
        }
        if (check.outcome() == RoleCheck.Outcome.ASSUMED) {
            addPrelude("SET LOCAL ROLE " + SqlIdentifier.quote(role));
            this.assumesRole = true;
        }
        return check;
    }

    /** Whether the load's transactions run as a caller's role ({@link #assumeRole}) rather than the service's user. */
    public boolean assumesRole() {
        return this.assumesRole;
    }

    /** Starts a transaction; PostgreSQL's BEGIN goes out with its first statement. */
    public void begin() {
        this.inTransaction = true;
        this.chunks = 0;
    }

    /**
     * Opens the transaction {@link #begin} started now, with its settings and prelude (so as the caller's role), for a
     * statement that must come before its first chunk (the CREATE TABLE of a table made from the payload): every
     * chunk of the transaction then rolls back to a savepoint, never past that statement.
     */
    public void startNow() {
        if (this.chunks > 0) {
            return;
        }
        try {
            runPrelude();
            this.chunks = 1;
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("BEGIN", ex);
        }
    }

    /** Marks where a chunk starts: the transaction's start for its first chunk, else a savepoint. */
    public ChunkBoundary chunkBoundary() {
        try {
            if (this.chunks++ == 0) {
                runPrelude();
                return new ChunkBoundary(this, null);
            }
            return new ChunkBoundary(this, this.connection.setSavepoint());
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("SAVEPOINT", ex);
        }
    }

    void rollbackAndBeginAgain() throws SQLException {
        this.connection.rollback();
        runPrelude();
    }

    /**
     * Asks the server to cancel whatever statement this load's connection runs now (from another thread: a
     * shutdown stopping the load). The driver sends the cancel request for this connection's backend, which a
     * pooler in front of the server forwards to the backend that runs it; a connection idle at that moment is
     * left alone.
     */
    public void cancelStatement() {
        try {
            this.connection.unwrap(BaseConnection.class).getQueryExecutor().sendQueryCancel();
        }
        catch (SQLException ex) {
            logger.info("Could not cancel a load's statement: {}", ex.getMessage());
        }
    }

    /** Commits the transaction. */
    public void commit() {
        try {
            this.connection.commit();
            this.inTransaction = false;
        }
        catch (SQLException ex) {
            this.broken = !SqlFailure.isRowError(ex);
            this.inTransaction = false;
            throw SqlFailure.translate("COMMIT", ex);
        }
    }

    /** Rolls the transaction back, if one is open; the only statement that runs after a failure. */
    public void rollback() {
        if (!this.inTransaction) {
            return;
        }
        this.inTransaction = false;
        if (this.broken) {
            return;
        }
        try {
            this.connection.rollback();
        }
        catch (SQLException | RuntimeException ex) {
            logger.warn("Rollback failed; the connection will be evicted: {}", ex.getMessage());
            this.broken = true;
        }
    }

    /** A temporary table was created: it is discarded when the load ends. */
    public void temporaryTablesCreated() {
        this.temporaryTables = true;
    }

    /** The connection's state cannot be trusted any more: it is evicted rather than reused. */
    public void markBroken() {
        this.broken = true;
    }

    /** Whether the connection will be evicted: nothing more may run on it. */
    public boolean broken() {
        return this.broken;
    }

    /** Ends the load's hold: rolls back what is open, drops its temporary tables, returns or evicts the connection. */
    @Override
    public void close() {
        rollback();
        if (!this.broken) {
            try {
                this.connection.setAutoCommit(true);
                String reset = reset();
                if (reset != null) {
                    try (Statement statement = this.connection.createStatement()) {
                        statement.execute(reset);
                    }
                }
            }
            catch (SQLException | RuntimeException ex) {
                logger.warn("Could not reset the connection after a load; it will be evicted: {}", ex.getMessage());
                this.broken = true;
            }
        }
        if (this.broken) {
            evict(this.dataSource, this.connection);
            return;
        }
        try {
            this.connection.close();
        }
        catch (SQLException ex) {
            logger.debug("Returning a connection to the pool failed", ex);
        }
    }

    /**
     * What the connection needs before it goes back: its temporary tables dropped, and, after a load that ran as a
     * caller's role, the session's role reset. SET LOCAL ROLE ends with each transaction, but code running as that
     * role (a trigger, a function a default or a policy calls) may have run a plain SET ROLE, which outlives the
     * COMMIT and would have the next user of the pooled connection act as that role.
     */
    private String reset() {
        if (this.temporaryTables && this.assumesRole) {
            return "DISCARD TEMP; RESET ROLE";
        }
        return this.temporaryTables ? "DISCARD TEMP" : (this.assumesRole ? "RESET ROLE" : null);
    }

    private void runPrelude() throws SQLException {
        if (!this.localSettings.isEmpty()) {
            // one statement for every setting: names and values are the service's own (a checked tag, an enum's)
            StringJoiner settings = new StringJoiner(", ", "SELECT ", "");
            this.localSettings.forEach((name, value) -> settings.add("set_config('" + name + "', '" + value + "', true)"));
            try (Statement statement = this.connection.createStatement()) {
                statement.execute(settings.toString());
            }
        }
        for (String sql : this.prelude) {
            try (Statement statement = this.connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    /** Closes the physical connection instead of returning it to the pool. */
    static void evict(DataSource dataSource, Connection connection) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(connection);
            }
            else {
                connection.close();
            }
        }
        catch (SQLException | RuntimeException ex) {
            logger.debug("Evicting a connection failed", ex);
        }
    }
}
