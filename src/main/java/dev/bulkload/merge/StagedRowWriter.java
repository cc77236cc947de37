package dev.bulkload.merge;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.postgresql.util.ServerErrorMessage;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

import dev.bulkload.catalog.CheckConstraint;
import dev.bulkload.catalog.ForeignKey;
import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.jdbc.Savepoints;
import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.row.Reject;
import dev.bulkload.row.RejectSink;
import dev.bulkload.row.Row;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.RowWriter;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.row.WriteMode;

/**
 * One staged write: rows of one column set go into a temporary table (by COPY or batch, whose
 * type errors are isolated there), are checked set-based, deduplicated by key and merged into the
 * table. A merge that still fails is bisected by record range under savepoints to find the rows
 * at fault, so an unexpected error (a trigger, a race) costs a few statements, never a row loop.
 */
final class StagedRowWriter implements RowWriter {

    private static final String NO_MATCH_STATE = "P0002";

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    private final DataSource dataSource;

    private final LoadableTable table;

    private final boolean[] columns;

    private final MergePlan plan;

    private final List<String> present;

    private final StagingSql sql;

    private final RowWriter fill;

    private final RejectSink rejects;

    private final List<Reject> refused = new ArrayList<>();

    private long[] records = new long[1024];

    private long[] lines = new long[1024];

    private String[] raws;

    private int rows;

    /**
     * @param fill opens the writer that puts rows into the staging table, given where its rejects go
     */
    StagedRowWriter(JdbcTemplate jdbc, DataSource dataSource, LoadableTable table, boolean[] columns, MergePlan plan,
            StagingSql sql, java.util.function.Function<RejectSink, RowWriter> fill, RejectSink rejects) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dataSource = dataSource;
        this.table = table;
        this.columns = columns;
        this.plan = plan;
        this.present = present(table, columns);
        this.sql = sql;
        this.rejects = rejects;
        this.fill = fill.apply(plan.skipBadRows() ? this.refused::add : null);
        this.raws = (rejects != null) ? new String[1024] : null;
    }

    @Override
    public boolean accepts(Row row) {
        return row.hasColumns(this.columns);
    }

    @Override
    public void write(Row row) {
        if (this.rows == this.records.length) {
            this.records = Arrays.copyOf(this.records, this.rows * 2);
            this.lines = Arrays.copyOf(this.lines, this.rows * 2);
            if (this.raws != null) {
                this.raws = Arrays.copyOf(this.raws, this.rows * 2);
            }
        }
        this.records[this.rows] = row.record();
        this.lines[this.rows] = row.line();
        if (this.raws != null) {
            this.raws[this.rows] = row.rawText();
        }
        this.rows++;
        this.fill.write(row);
    }

    @Override
    public long bytesWritten() {
        return this.fill.bytesWritten();
    }

    @Override
    public WriteCounts finish() {
        try {
            this.fill.finish();
            // planner statistics for the staged rows: without them the checks and merges pick plans
            // that scan the whole table (measured: the 1%-bad 1M-row load took twice as long)
            this.jdbc.execute(this.sql.analyze());
            if (this.plan.skipBadRows()) {
                List<Reject> checked = rowChecks();
                delete(checked);
                this.refused.addAll(checked);
            }
            long skipped = dedupe();
            List<Reject> keyed = keyChecks();
            if (!this.plan.skipBadRows() && !keyed.isEmpty()) {
                throw rejected(keyed.get(0));
            }
            delete(keyed);
            this.refused.addAll(keyed);
            List<String> identity = insertIdentity();
            WriteCounts merged = (identity != null) ? insertSkippingConflicts(identity) : mergeAll();
            this.refused.sort(java.util.Comparator.comparingLong(Reject::record));
            for (Reject reject : this.refused) {
                this.rejects.reject(reject);
            }
            return new WriteCounts(merged.inserted(), merged.updated(), merged.skipped() + skipped);
        }
        finally {
            this.jdbc.execute(this.sql.dropStage());
        }
    }

    @Override
    public void abort() {
        this.fill.abort();
    }

    /** NOT NULL, CHECK and foreign-key checks, each one query over the staged rows. */
    private List<Reject> rowChecks() {
        Set<Long> seen = new HashSet<>();
        List<Reject> found = new ArrayList<>();
        List<String> notNull = new ArrayList<>();
        List<String> present = this.present;
        for (String column : present) {
            LoadableColumn definition = this.table.column(column);
            if (!definition.nullable() || this.plan.key().contains(column)) {
                notNull.add(column);
            }
        }
        if (this.plan.mode() != WriteMode.UPDATE) {
            for (LoadableColumn column : this.table.columns()) {
                if (!column.nullable() && !column.hasDefault() && !column.generated() && !present.contains(column.name())) {
                    // an upsert only inserts, and so only needs the column, for keys not in the table yet
                    long[] inserting = (this.plan.mode() == WriteMode.UPSERT && this.table.readable())
                            ? this.jdbc.query(this.sql.unmatched(), (rs, n) -> rs.getLong(1)).stream()
                                .mapToLong(Long::longValue).toArray()
                            : stagedRecords();
                    for (long record : inserting) {
                        add(found, seen, record, column.name(), "23502", null, "null value in column \"" + column.name()
                                + "\" of relation \"" + this.table.name() + "\" violates not-null constraint");
                    }
                }
            }
        }
        if (!notNull.isEmpty()) {
            this.jdbc.query(this.sql.nullIn(notNull), (rs) -> {
                String column = rs.getString(2);
                String message = this.plan.key().contains(column) && this.table.column(column).nullable()
                        ? "key column \"" + column + "\" is null; rows are matched by key"
                        : "null value in column \"" + column + "\" of relation \"" + this.table.name()
                                + "\" violates not-null constraint";
                add(found, seen, rs.getLong(1), column, "23502", null, message);
            });
        }
        for (CheckConstraint check : this.table.checks()) {
            if (present.containsAll(check.columns())) {
                this.jdbc.query(this.sql.checkFails(check.expression()), (rs) -> {
                    add(found, seen, rs.getLong(1), (check.columns().size() == 1) ? check.columns().get(0) : null,
                            "23514", check.name(), "new row for relation \"" + this.table.name()
                                    + "\" violates check constraint \"" + check.name() + "\"");
                });
            }
        }
        for (ForeignKey foreignKey : this.table.foreignKeys()) {
            if (foreignKey.readable() && present.containsAll(foreignKey.columns())) {
                this.jdbc.query(this.sql.foreignKeyMisses(foreignKey.columns(), foreignKey.referencedTable(),
                        foreignKey.referencedColumns(), foreignKey.selfReferencing()), (rs) -> {
                            add(found, seen, rs.getLong(1),
                                    (foreignKey.columns().size() == 1) ? foreignKey.columns().get(0) : null, "23503",
                                    foreignKey.name(), "insert or update on table \"" + this.table.name()
                                            + "\" violates foreign key constraint \"" + foreignKey.name() + "\"");
                        });
            }
        }
        return found;
    }

    /** Removes repeated keys within this write: upsert and update keep the last, ignore keeps the first. */
    private long dedupe() {
        if (this.plan.mode() == WriteMode.INSERT) {
            return 0;
        }
        boolean keepLast = this.plan.mode() != WriteMode.IGNORE;
        return this.jdbc.query(this.sql.deleteRepeatedKeys(keepLast), (rs, n) -> rs.getLong(1)).size();
    }

    /** Unique keys within the payload and against the table, and unmatched keys for update. */
    private List<Reject> keyChecks() {
        Set<Long> seen = new HashSet<>();
        List<Reject> found = new ArrayList<>();
        List<String> present = this.present;
        if (this.plan.mode() == WriteMode.UPDATE) {
            this.jdbc.query(this.sql.unmatched(), (rs) -> {
                add(found, seen, rs.getLong(1), null, NO_MATCH_STATE, null, "no row with this key");
            });
        }
        if (!this.plan.skipBadRows()) {
            return found;
        }
        for (List<String> unique : this.table.allUniqueKeys()) {
            if (unique.equals(this.plan.key()) || !present.containsAll(unique)) {
                continue;
            }
            String constraint = this.table.keyNames().get(unique);
            String column = (unique.size() == 1) ? unique.get(0) : null;
            String message = "duplicate key value violates unique constraint \"" + constraint + "\"";
            this.jdbc.query(this.sql.repeatedWithin(unique), (rs) -> {
                add(found, seen, rs.getLong(1), column, "23505", constraint, message + " (repeated in the payload)");
            });
            if (this.table.readable() && (this.plan.mode() != WriteMode.INSERT || insertIdentity() == null)) {
                String taken = (this.plan.mode() == WriteMode.IGNORE) ? this.sql.takenInTableForNewKeys(unique)
                        : this.sql.takenInTable(unique);
                this.jdbc.query(taken, (rs) -> {
                    add(found, seen, rs.getLong(1), column, "23505", constraint, message + " (already in the table)");
                });
            }
        }
        return found;
    }

    /**
     * For insert with skipping: a NOT NULL unique key the payload carries, by which rows that collide
     * with existing ones are found in the insert itself (ON CONFLICT DO NOTHING) instead of a join
     * per key ahead of it; null when there is none (or the table cannot be read back).
     */
    private List<String> insertIdentity() {
        if (this.plan.mode() != WriteMode.INSERT || !this.plan.skipBadRows() || !this.table.readable()) {
            return null;
        }
        List<String> present = this.present;
        for (List<String> unique : this.table.allUniqueKeys()) {
            if (present.containsAll(unique) && unique.stream().noneMatch((c) -> this.table.column(c).nullable())) {
                return unique;
            }
        }
        return null;
    }

    /** Inserts all staged rows but those colliding with existing rows, which become rejects naming their key. */
    private WriteCounts insertSkippingConflicts(List<String> identity) {
        long[] range = this.jdbc.queryForObject(this.sql.recordRange(),
                (rs, n) -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3) });
        if (range[2] == 0) {
            return WriteCounts.NONE;
        }
        Connection connection = DataSourceUtils.getConnection(this.dataSource);
        Savepoint savepoint = Savepoints.set(connection);
        List<Long> colliding;
        try {
            colliding = this.named.query(this.sql.insertSkippingConflicts(identity), range(range[0], range[1]),
                    (rs, n) -> rs.getLong(1));
            Savepoints.release(connection, savepoint);
        }
        catch (DataAccessException ex) {
            Savepoints.rollback(connection, savepoint);
            return mergeAll();
        }
        if (!colliding.isEmpty()) {
            Set<Long> seen = new HashSet<>();
            List<Reject> found = new ArrayList<>();
            Long[] records = colliding.toArray(Long[]::new);
            for (List<String> unique : this.table.allUniqueKeys()) {
                if (!this.present.containsAll(unique)) {
                    continue;
                }
                String constraint = this.table.keyNames().get(unique);
                this.jdbc.query(this.sql.collidingOn(unique), (rs) -> {
                    add(found, seen, rs.getLong(1), (unique.size() == 1) ? unique.get(0) : null, "23505", constraint,
                            "duplicate key value violates unique constraint \"" + constraint + "\" (already in the table)");
                }, (Object) records);
            }
            for (Long record : colliding) {
                add(found, seen, record, null, "23505", null, "duplicate key value violates a unique constraint");
            }
            this.refused.addAll(found);
        }
        return new WriteCounts(range[2] - colliding.size(), 0, 0);
    }

    /** Merges every staged row; on a data error, bisects by record range to isolate the rows at fault. */
    private WriteCounts mergeAll() {
        long[] staged = stagedRecords();
        return (staged.length == 0) ? WriteCounts.NONE : mergeRange(staged, 0, staged.length);
    }

    private WriteCounts mergeRange(long[] staged, int from, int to) {
        Connection connection = DataSourceUtils.getConnection(this.dataSource);
        Savepoint savepoint = Savepoints.set(connection);
        try {
            WriteCounts counts = merge(staged[from], staged[to - 1]);
            Savepoints.release(connection, savepoint);
            if (this.plan.mode() == WriteMode.IGNORE) {
                counts = new WriteCounts(counts.inserted(), 0, (to - from) - counts.inserted());
            }
            return counts;
        }
        catch (DataAccessException ex) {
            SQLException cause = SqlFailure.find(ex);
            if (!SqlFailure.isDataError(cause)) {
                throw ex;
            }
            Savepoints.rollback(connection, savepoint);
            if (to - from == 1) {
                Reject reject = reject(staged[from], cause);
                if (!this.plan.skipBadRows()) {
                    throw rejected(reject);
                }
                this.refused.add(reject);
                return WriteCounts.NONE;
            }
            int middle = (from + to) >>> 1;
            return mergeRange(staged, from, middle).plus(mergeRange(staged, middle, to));
        }
    }

    private WriteCounts merge(long first, long last) {
        if (this.plan.mode() == WriteMode.UPSERT || this.plan.mode() == WriteMode.UPDATE) {
            return withIndexJoins(() -> runMerge(first, last));
        }
        return runMerge(first, last);
    }

    /**
     * Runs statements that join a staged chunk to the table by a unique key with hash and merge joins
     * off, so PostgreSQL probes the key's index per staged row. Otherwise, when the table's statistics
     * lag behind a bulk load (they said ~20,000 rows for a 1M-row table in the benchmark), it hashes the
     * chunk and scans the whole table for every chunk. Every join in these statements has an index.
     */
    private <T> T withIndexJoins(java.util.function.Supplier<T> statements) {
        this.jdbc.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off");
        try {
            return statements.get();
        }
        finally {
            this.jdbc.execute("RESET enable_hashjoin; RESET enable_mergejoin");
        }
    }

    private WriteCounts runMerge(long first, long last) {
        return this.named.queryForObject(this.sql.merge(this.plan.mode()), range(first, last),
                (rs, n) -> new WriteCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }

    private static Map<String, Object> range(long first, long last) {
        return Map.of("first", first, "last", last);
    }

    private long[] stagedRecords() {
        return this.jdbc.query(this.sql.records(), (rs, n) -> rs.getLong(1)).stream().mapToLong(Long::longValue).toArray();
    }

    private void delete(List<Reject> refused) {
        if (!refused.isEmpty()) {
            Long[] records = refused.stream().map(Reject::record).toArray(Long[]::new);
            this.jdbc.update(this.sql.deleteRecords(), (Object) records);
        }
    }

    /** The names of the columns the rows carry, in table order. */
    static List<String> present(LoadableTable table, boolean[] columns) {
        List<String> present = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i]) {
                present.add(table.columns().get(i).name());
            }
        }
        return present;
    }

    private void add(List<Reject> found, Set<Long> seen, long record, String column, String sqlState,
            String constraint, String message) {
        if (seen.add(record)) {
            int index = Arrays.binarySearch(this.records, 0, this.rows, record);
            found.add(new Reject(record, (index >= 0) ? this.lines[index] : null, column, sqlState, constraint, message,
                    (index >= 0 && this.raws != null) ? this.raws[index] : null));
        }
    }

    private Reject reject(long record, SQLException cause) {
        ServerErrorMessage server = SqlFailure.server(cause);
        String message = SqlFailure.message(cause);
        int index = Arrays.binarySearch(this.records, 0, this.rows, record);
        return new Reject(record, (index >= 0) ? this.lines[index] : null, (server != null) ? server.getColumn() : null,
                cause.getSQLState(), (server != null) ? server.getConstraint() : null, message,
                (index >= 0 && this.raws != null) ? this.raws[index] : null);
    }

    private static RowRejectedException rejected(Reject reject) {
        return new RowRejectedException(reject.message(), reject.record(), reject.line(), reject.column(),
                reject.sqlState(), reject.constraint());
    }
}
