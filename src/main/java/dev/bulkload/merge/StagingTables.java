package dev.bulkload.merge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.jdbc.CastCheck;
import dev.bulkload.jdbc.Statements;
import dev.bulkload.row.ColumnSet;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.session.LoadSession;

/**
 * The temporary tables of one staged load's transaction: at most one typed staging table per column set (and
 * one with text columns, made only when a chunk has values of the wrong type), created on first use in the
 * transaction ({@code ON COMMIT DROP}) and emptied for every later chunk of it. They exist only in the
 * transaction that uses them, so a load's next transaction may run on another backend (behind a transaction
 * pooler): when a transaction ends, or a chunk is rolled back, what it created is forgotten and made again when
 * needed. Nothing is left on the connection when the load ends.
 */
final class StagingTables {

    /** Most column sets one staged load may have; each holds a staging table (and its locks) until the load ends. */
    static final int MAX_COLUMN_SETS = 64;

    /** Rows emptied by DELETE from a staging table before it is truncated instead. */
    private static final int MAX_DEAD_ROWS = 10_000;

    private final LoadSession session;

    private final LoadableTable table;

    private final List<String> key;

    private final String prefix;

    private final Map<Integer, StagingSql> statements = new HashMap<>();

    private final Set<String> created = new HashSet<>();

    private final Map<String, String> inputFunctions = new HashMap<>();

    private final List<Runnable> createdInChunk = new ArrayList<>();

    private final Map<String, Integer> stagedRows = new HashMap<>();

    private final Map<String, Integer> deadRows = new HashMap<>();

    private final Set<String> emptiedInChunk = new HashSet<>();

    StagingTables(LoadSession session, LoadableTable table, List<String> key, long load) {
        this.session = session;
        this.table = table;
        this.key = key;
        this.prefix = "bulkload_" + load + "_";
        session.onTransactionEnd(this::transactionEnded);
    }

    /** The transaction ended: its staging tables are gone (dropped at commit, or rolled back). */
    private void transactionEnded() {
        this.created.clear();
        this.inputFunctions.clear();
        this.createdInChunk.clear();
        this.stagedRows.clear();
        this.deadRows.clear();
        this.emptiedInChunk.clear();
    }

    /** A new chunk begins: staging tables used in it are emptied on first use. */
    void chunkStarted() {
        this.createdInChunk.clear();
        this.emptiedInChunk.clear();
    }

    /**
     * A later segment of the chunk begins (see {@link RecordOrderSegments}): staging tables used in it are
     * emptied again on first use.
     */
    void segmentStarted() {
        this.emptiedInChunk.clear();
    }

    /** The chunk was rolled back: what it created no longer exists. */
    void chunkRolledBack() {
        this.createdInChunk.forEach(Runnable::run);
        this.createdInChunk.clear();
        this.emptiedInChunk.clear();
    }

    StagingSql sql(ColumnSet set) {
        StagingSql sql = this.statements.get(set.id());
        if (sql == null) {
            if (set.id() >= MAX_COLUMN_SETS) {
                throw new MalformedPayloadException("More than " + MAX_COLUMN_SETS + " different sets of columns in "
                        + "one load with mode upsert, ignore or update, or with onError=skip; send records with the "
                        + "same fields, or split the load");
            }
            sql = new StagingSql(this.table, set.names(this.table), this.key,
                    SqlIdentifier.quote("pg_temp", this.prefix + set.id()),
                    SqlIdentifier.quote("pg_temp", this.prefix + set.id() + "_text"));
            this.statements.put(set.id(), sql);
        }
        return sql;
    }

    /** Makes the typed staging table of the set ready (created, or emptied once per chunk). */
    void prepareStage(ColumnSet set, int rows) throws SQLException {
        StagingSql sql = sql(set);
        prepare(sql.stage(), sql.createStage(), rows);
    }

    /** Makes the text staging table of the set ready (created, or emptied once per chunk). */
    void prepareTextStage(ColumnSet set, int rows) throws SQLException {
        StagingSql sql = sql(set);
        prepare(sql.textStage(), sql.createTextStage(), rows);
    }

    /**
     * For servers before PostgreSQL 16 (no {@code pg_input_is_valid}): a temporary function answering
     * {@code "<sqlstate> <message>"} when its text argument is not a valid value of the type, else NULL.
     * An assignment to a variable of the type is PostgreSQL's own input conversion, typmod included. The variable
     * is declared in an inner block, initialised with the value: a variable of a NOT NULL domain declared without
     * one would fail as NULL outside the handler, failing the whole statement instead of answering for the value;
     * a composite type is read by a cast ({@link CastCheck#initializer}).
     * Functions do not go at COMMIT like the tables: each is named for its type and the role that creates it, and
     * replaced in every transaction that needs it, so the one a backend keeps (of this load, an earlier load, or
     * another client's of the same pool) is the same function and never piles up.
     */
    String inputErrorFunction(String type, boolean composite) throws SQLException {
        String function = this.inputFunctions.get(type);
        if (function == null) {
            function = "pg_temp." + SqlIdentifier.quote("bulkload_input_" + functionKey(type));
            String body = "BEGIN DECLARE x " + type + " := " + CastCheck.initializer("v", type, composite)
                    + "; BEGIN RETURN NULL; END; EXCEPTION WHEN others THEN "
                    + "RETURN SQLSTATE || ' ' || SQLERRM; END";
            create("function " + type, "CREATE OR REPLACE FUNCTION " + function
                    + "(v text) RETURNS text LANGUAGE plpgsql AS " + StagingSql.literal(body));
            this.inputFunctions.put(type, function);
            String created = type;
            this.createdInChunk.add(() -> this.inputFunctions.remove(created));
        }
        return function;
    }

    private void prepare(String name, String ddl, int rows) throws SQLException {
        if (!this.created.contains(name)) {
            create(name, ddl);
        }
        else if (this.emptiedInChunk.add(name)) {
            // dead rows in a temporary table are never vacuumed, so DELETE only while few have piled up;
            // TRUNCATE makes a new file each time, too costly for thousands of small chunks
            int staged = this.stagedRows.getOrDefault(name, 0);
            int dead = this.deadRows.getOrDefault(name, 0) + staged;
            boolean truncate = dead > MAX_DEAD_ROWS;
            Statements.execute(connection(), (truncate ? "TRUNCATE " : "DELETE FROM ") + name);
            this.deadRows.put(name, truncate ? 0 : dead);
        }
        this.emptiedInChunk.add(name);
        this.stagedRows.put(name, rows);
    }

    private void create(String name, String ddl) throws SQLException {
        Statements.execute(connection(), ddl);
        this.created.add(name);
        this.createdInChunk.add(() -> this.created.remove(name));
    }

    /** The type and the role the load's statements run as (its owner, who alone may replace it), hashed. */
    private String functionKey(String type) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(((this.session.role() != null) ? this.session.role() : "").getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(type.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private Connection connection() {
        return this.session.connection();
    }
}
