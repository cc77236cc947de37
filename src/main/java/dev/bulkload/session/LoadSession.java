package dev.bulkload.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
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
 * whatever writes; the load's transactions (one when atomic, one per chunk otherwise) and chunk
 * boundaries. Nothing of the load outlives one of its transactions on the server (its settings are
 * {@code SET LOCAL}, its temporary tables {@code ON COMMIT DROP}), so each transaction may run on another
 * backend, as behind a transaction pooler. When the load ends the connection goes back clean (rolled back)
 * or, when that cannot be vouched for (a failed rollback, an {@link Error} mid-statement), is evicted from
 * the pool.
 */
public final class LoadSession implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(LoadSession.class);

    // the tag is the load registry's "bulkload:<uuid>": letters, digits, dashes and a colon only
    private static final Pattern TAG_FORM = Pattern.compile("[A-Za-z0-9:-]{1,63}");

    private final DataSource dataSource;

    private final Connection connection;

    private final int serverVersion;

    /** Settings every transaction of this load makes in its first statement, {@code set_config(name, value, true)}. */
    private final Map<String, String> settings = new LinkedHashMap<>();

    private final List<String> prelude = new ArrayList<>();

    private final List<Runnable> transactionEnded = new ArrayList<>();

    private boolean inTransaction;

    private int chunks;

    private boolean broken;

    private String role;

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
     * statement ({@code statement_timeout}); zero means no limit. Set in each transaction's first statement, with
     * the load's tag, so they cost no round trip of their own and end with the transaction: a pooled backend goes
     * back with its own settings, whichever client it serves next. The milliseconds come from validated
     * {@link Duration}s, never from a request.
     */
    public void limitWaits(Duration lockTimeout, Duration statementTimeout) {
        this.settings.put("lock_timeout", Long.toString(lockTimeout.toMillis()));
        this.settings.put("statement_timeout", Long.toString(statementTimeout.toMillis()));
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
        // first, so that the statement that sets everything reads as the load's tag
        Map<String, String> rest = new LinkedHashMap<>(this.settings);
        this.settings.clear();
        this.settings.put("application_name", tag);
        this.settings.putAll(rest);
    }

    /**
     * Reads the dates and timestamps of this load's transactions in {@code style}: PostgreSQL's {@code DateStyle}
     * for each transaction only (like {@code SET LOCAL}), so the pooled connection goes back as it came. COPY,
     * batched INSERTs and every check in the transaction (casts, {@code pg_input_is_valid}) read values with it.
     */
    public void readDates(DateStyle style) {
        this.settings.put("DateStyle", style.setting());
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
            this.role = role;
        }
        return check;
    }

    /** Whether the load's transactions run as a caller's role ({@link #assumeRole}) rather than the service's user. */
    public boolean assumesRole() {
        return this.role != null;
    }

    /** The caller's role the load's transactions run as ({@link #assumeRole}), or null for the service's user. */
    public String role() {
        return this.role;
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
        transactionEnded();
        runPrelude();
    }

    /**
     * Runs {@code action} whenever one of this load's transactions ends (commits or rolls back): what lived in it on
     * the server (temporary tables, temporary functions' certainty) is gone, and the next transaction may run on
     * another backend.
     */
    public void onTransactionEnd(Runnable action) {
        this.transactionEnded.add(action);
    }

    private void transactionEnded() {
        this.transactionEnded.forEach(Runnable::run);
    }

    /**
     * Asks the server to cancel whatever statement this load's connection runs now (from another thread: a
     * shutdown stopping the load). The driver sends the cancel request for this connection's backend, which a
     * pooler in front of the server forwards to the backend that runs it; a connection idle at that moment is
     * left alone.
     */
    public void cancelStatement() {
        try {
            // through a pooler the cancel key is the pooler's, which forwards it to the backend the connection holds now
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
        finally {
            transactionEnded();
        }
    }

    /** Rolls the transaction back, if one is open; the only statement that runs after a failure. */
    public void rollback() {
        if (!this.inTransaction) {
            return;
        }
        this.inTransaction = false;
        transactionEnded();
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

    /** The connection's state cannot be trusted any more: it is evicted rather than reused. */
    public void markBroken() {
        this.broken = true;
    }

    /** Whether the connection will be evicted: nothing more may run on it. */
    public boolean broken() {
        return this.broken;
    }

    /** Ends the load's hold: rolls back what is open, returns or evicts the connection. */
    @Override
    public void close() {
        rollback();
        if (!this.broken) {
            try {
                this.connection.setAutoCommit(true);
                if (this.role != null) {
                    // SET LOCAL ROLE ended with each transaction, but code running as that role (a trigger, a
                    // function a default or a policy calls) may have run a plain SET ROLE, which outlives the COMMIT
                    // and would have the next user of the pooled connection act as that role
                    try (Statement statement = this.connection.createStatement()) {
                        statement.execute("RESET ROLE");
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

    /** The transaction's settings and prelude statements, sent together: one round trip. */
    private void runPrelude() throws SQLException {
        StringJoiner sql = new StringJoiner("; ");
        if (!this.settings.isEmpty()) {
            StringJoiner select = new StringJoiner(", ", "SELECT ", "");
            // names are the service's own; values are a validated tag, milliseconds or an enum's (tag, limitWaits, readDates)
            this.settings.forEach((name, value) -> select.add("set_config('" + name + "', '" + value + "', true)"));
            sql.add(select.toString());
        }
        this.prelude.forEach(sql::add);
        if (sql.length() == 0) {
            return;
        }
        try (Statement statement = this.connection.createStatement()) {
            statement.execute(sql.toString());
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
