package dev.bulkload.merge;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.jdbc.RejectIsolator;
import dev.bulkload.jdbc.Relation;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.jdbc.RowRefusals;
import dev.bulkload.jdbc.Savepoints;
import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.jdbc.Statements;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ChunkResult;
import dev.bulkload.row.ChunkWriter;
import dev.bulkload.row.ColumnSet;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.row.Reject;
import dev.bulkload.row.RetryableChunkException;
import dev.bulkload.row.RowRejectedException;
import dev.bulkload.row.WriteCounts;
import dev.bulkload.row.WriteMode;
import dev.bulkload.session.LoadSession;

/**
 * Writes chunks through staging tables: each column set's rows of the chunk go into its staging
 * table (by COPY or batch; values of the wrong type are found set-based over a text copy of them),
 * are checked set-based ({@code onError=skip}), deduplicated by key, and merged into the table run by
 * run, in record order. A merge that still fails is narrowed by the {@link RejectIsolator}.
 */
final class StagedChunkWriter implements ChunkWriter {

    private static final int ANALYZE_ROWS = 1000;

    /**
     * Whether the set being written is large enough ({@link #ANALYZE_ROWS}) to be analyzed and joined by index
     * ({@link IndexJoins}); a small load's few staged rows keep their statements (and round trips) to a minimum.
     */
    private boolean byIndex;

    private static final String NO_MATCH_STATE = "P0002";

    private final LoadSession session;

    private final RowRefusals refusals;

    private final Connection connection;

    private final LoadableTable table;

    private final ColumnSets sets;

    private final MergePlan plan;

    private final RowLoader loader;

    private final StagingTables stages;

    private final RecordOrderSegments segments;

    /** The column sets whose last chunk had values of the wrong type. */
    private final java.util.BitSet wrongTypes = new java.util.BitSet();

    /** The transactions whose merges wrote this load's rows, to tell a key written earlier in the load. */
    private final OwnWrites written = new OwnWrites();

    StagedChunkWriter(LoadSession session, RowRefusals refusals, LoadableTable table, ColumnSets sets, MergePlan plan,
            RowLoader loader, long load) {
        this.session = session;
        this.refusals = refusals;
        this.connection = session.connection();
        this.table = table;
        this.sets = sets;
        this.plan = plan;
        this.loader = loader;
        this.stages = new StagingTables(session, table, plan.key(), load);
        this.segments = new RecordOrderSegments(table, plan.key());
    }

    @Override
    public ChunkResult finish(ChunkLedger ledger, Runnable rollback) {
        try {
            return write(ledger);
        }
        catch (SQLException ex) {
            SQLException cause = SqlFailure.cause(ex);
            if (SqlFailure.isRetryable(cause)) {
                throw new RetryableChunkException(cause.getSQLState(), cause);
            }
            throw SqlFailure.translate("merge", cause);
        }
    }

    @Override
    public void rolledBack() {
        this.stages.chunkRolledBack();
    }

    /**
     * Stages, deduplicates, checks and merges the chunk one column set at a time, sets in order of their
     * first record (each set in one statement per step, however its records interleave with other sets'),
     * segment by segment where a key ties records of different sets together, so record order decides.
     */
    private ChunkResult write(ChunkLedger ledger) throws SQLException {
        this.stages.chunkStarted();
        List<Reject> rejects = new ArrayList<>();
        WriteCounts counts = WriteCounts.NONE;
        List<Map<Integer, int[]>> segments = this.segments.of(ledger, this.sets);
        for (int s = 0; s < segments.size(); s++) {
            if (s > 0) {
                this.stages.segmentStarted();
            }
            for (Map.Entry<Integer, int[]> entry : segments.get(s).entrySet()) {
                counts = counts.plus(writeSet(this.sets.get(entry.getKey()), ledger, entry.getValue(), rejects));
            }
        }
        rejects.sort(Comparator.comparingLong(Reject::record));
        return new ChunkResult(counts, rejects);
    }

    /** Stages, deduplicates, checks and merges the rows of one set (ledger indexes, in record order). */
    private WriteCounts writeSet(ColumnSet set, ChunkLedger ledger, int[] rows, List<Reject> rejects)
            throws SQLException {
        WriteCounts counts = WriteCounts.NONE;
        long first = ledger.record(rows[0]);
        long last = ledger.record(rows[rows.length - 1]);
        this.stages.prepareStage(set, rows.length);
        fill(set, ledger, rows, rejects);
        StagingSql sql = this.stages.sql(set);
        // a small stage is probed row by row whatever the planner thinks; a large one needs help (below)
        this.byIndex = rows.length >= ANALYZE_ROWS;
        if (this.byIndex) {
            // the stage's size for the planner: without it the checks and merges pick plans that scan
            // the whole table (measured: the 1%-bad 1M-row load took twice as long)
            Statements.execute(this.connection, sql.analyze());
        }
        if (this.plan.mode() != WriteMode.INSERT) {
            // before the checks: a key repeated in the payload is one row to check, not a conflict
            RangeSql dedupe = sql.deleteRepeatedKeys(this.plan.mode() != WriteMode.IGNORE);
            counts = counts.plus(new WriteCounts(0, 0,
                    Statements.longs(this.connection, dedupe.sql(), dedupe.parameters(first, last)).length));
        }
        if (this.plan.skipBadRows()) {
            rejects.addAll(new StagedChecks(this.connection, this.table, this.plan, sql, ledger, this.byIndex).run());
        }
        return counts.plus(mergeSet(set, ledger, rows, first, last, rejects));
    }

    /** Puts the set's rows into its staging table; values of the wrong type become rejects (skip) or fail the load. */
    private void fill(ColumnSet set, ChunkLedger ledger, int[] rows, List<Reject> rejects) throws SQLException {
        StagingSql sql = this.stages.sql(set);
        Relation stage = new Relation(sql.stage(), sql.quotedPresent(), StagingSql.RECORD);
        if (this.plan.skipBadRows() && this.wrongTypes.get(set.id())) {
            // the set's last chunk had values of the wrong type: skip the typed attempt, likely to fail again
            this.wrongTypes.set(set.id(), validate(set, ledger, rows, rejects));
            return;
        }
        SQLException refused = underSavepoint(() -> this.loader.load(this.connection, stage, ledger, rows, 0, rows.length));
        if (refused == null) {
            return;
        }
        if (!this.plan.skipBadRows()) {
            RejectIsolator isolator = new RejectIsolator(this.refusals, ledger, (position) -> rows[position],
                    (from, to) -> this.loader.load(this.connection, stage, ledger, rows, from, to), true);
            isolator.write(0, rows.length);
            if (!isolator.rejects().isEmpty()) {
                throw RowRejectedException.of(isolator.rejects().get(0));
            }
            return;
        }
        this.wrongTypes.set(set.id(), validate(set, ledger, rows, rejects));
    }

    /** Stages the rows through the text stage; returns whether any value had the wrong type. */
    private boolean validate(ColumnSet set, ChunkLedger ledger, int[] rows, List<Reject> rejects) throws SQLException {
        int before = rejects.size();
        new TypeValidation(this.session, this.refusals, this.stages, this.table, this.loader, set, ledger, rows)
            .run(rejects);
        return rejects.size() > before;
    }

    /** Checks keys and merges the set's staged rows (records in [first, last]). */
    private WriteCounts mergeSet(ColumnSet set, ChunkLedger ledger, int[] rows, long first, long last,
            List<Reject> rejects) throws SQLException {
        StagingSql sql = this.stages.sql(set);
        if (this.plan.mode() == WriteMode.UPDATE) {
            RangeSql unmatchedSql = sql.unmatched();
            long[][] found = new long[1][];
            withIndexJoins(() -> found[0] = Statements.longs(this.connection, unmatchedSql.sql(),
                    unmatchedSql.parameters(first, last)));
            long[] unmatched = found[0];
            List<Reject> noMatch = new ArrayList<>();
            for (long record : unmatched) {
                // a key of one column names it, as a unique key's violation does
                String keyColumn = (this.plan.key().size() == 1) ? this.plan.key().get(0) : null;
                noMatch.add(ledger.reject(ledger.indexOf(record), keyColumn, NO_MATCH_STATE, null,
                        "no row with this key"));
            }
            if (!noMatch.isEmpty()) {
                if (!this.plan.skipBadRows()) {
                    throw RowRejectedException.of(noMatch.get(0));
                }
                rejects.addAll(noMatch);
                Statements.update(this.connection, sql.deleteRecords(), Statements.bigints(this.connection, unmatched));
            }
        }
        if (this.plan.mode() == WriteMode.INSERT) {
            return insertFromLedger(set, ledger, rows, rejects);
        }
        return merge(set, sql, ledger, first, last, rejects);
    }

    /**
     * Inserts the set's rows that passed every check straight from the ledger, by COPY (or batch): the
     * table takes them as fast as a clean load, faster than {@code INSERT … SELECT} from the stage.
     * What the checks could not foresee (a trigger, an index row too large, a concurrent writer) is
     * isolated like any failed write.
     */
    private WriteCounts insertFromLedger(ColumnSet set, ChunkLedger ledger, int[] rows, List<Reject> rejects)
            throws SQLException {
        java.util.BitSet refused = new java.util.BitSet(ledger.rows());
        rejects.forEach((reject) -> refused.set(ledger.indexOf(reject.record())));
        int[] survivors = java.util.Arrays.stream(rows).filter((row) -> !refused.get(row)).toArray();
        Relation table = new Relation(this.table.sqlName(), this.stages.sql(set).quotedPresent(), null,
                this.plan.overridingSystemValue());
        long[] inserted = { 0 };
        SQLException failed = underSavepoint(
                () -> inserted[0] = this.loader.load(this.connection, table, ledger, survivors, 0, survivors.length));
        long written = inserted[0];
        int refusedHere = 0;
        if (failed != null) {
            RejectIsolator isolator = new RejectIsolator(this.refusals, ledger, (position) -> survivors[position],
                    (from, to) -> this.loader.load(this.connection, table, ledger, survivors, from, to), false);
            written = isolator.write(0, survivors.length);
            refusedHere = isolator.rejects().size();
            rejects.addAll(isolator.rejects());
        }
        // the loaders count what the server inserted: rows a BEFORE trigger dropped without an error were skipped
        return new WriteCounts(written, 0, survivors.length - refusedHere - written);
    }

    /** Merges the range under a savepoint; when refused, narrows it to the rows at fault. */
    private WriteCounts merge(ColumnSet set, StagingSql sql, ChunkLedger ledger, long first, long last,
            List<Reject> rejects) throws SQLException {
        RangeSql merge = sql.merge(this.plan.mode(), this.plan.overridingSystemValue());
        WriteCounts[] merged = { WriteCounts.NONE };
        SQLException refused = underSavepoint(() -> {
            merged[0] = runMerge(merge, first, last);
            return 0;
        });
        if (refused == null) {
            return merged[0];
        }
        RangeSql recordsSql = sql.records();
        long[] records = Statements.longs(this.connection, recordsSql.sql(), recordsSql.parameters(first, last));
        WriteCounts[] total = { WriteCounts.NONE };
        RejectIsolator isolator = new RejectIsolator(this.refusals, ledger,
                (position) -> ledger.indexOf(records[position]), (from, to) -> {
                    WriteCounts part = runMerge(merge, records[from], records[to - 1]);
                    total[0] = total[0].plus(part);
                    return part.inserted() + part.updated() + part.skipped();
                }, !this.plan.skipBadRows());
        isolator.write(0, records.length);
        if (!this.plan.skipBadRows() && !isolator.rejects().isEmpty()) {
            throw RowRejectedException.of(isolator.rejects().get(0));
        }
        // refused as a whole but by no row alone (a conflict that went away): what the parts wrote stands
        rejects.addAll(isolator.rejects());
        return total[0];
    }

    private WriteCounts runMerge(RangeSql merge, long first, long last) throws SQLException {
        boolean byKey = this.plan.mode() == WriteMode.UPSERT || this.plan.mode() == WriteMode.UPDATE;
        long[][] row = new long[1][];
        Long[] xid = new Long[1];
        Object[] parameters = byKey ? merge.parametersAfter(this.written.multirange(), first, last)
                : merge.parameters(first, last);
        withIndexJoins(() -> Statements.query(this.connection, merge.sql(), (rs) -> {
            row[0] = new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3) };
            if (byKey) {
                xid[0] = rs.getObject(4, Long.class);
            }
        }, parameters));
        if (xid[0] != null) {
            this.written.add(xid[0]);
        }
        return new WriteCounts(row[0][0], row[0][1], row[0][2]);
    }

    /**
     * Runs an upsert or update statement by index joins, without JIT ({@link IndexJoins}); every join in these
     * statements has an index (the stage's own self-joins have none, and do not come here). Called under a
     * savepoint, whose rollback also undoes the settings when the statement fails.
     */
    private void withIndexJoins(SqlAction statement) throws SQLException {
        boolean byKey = this.plan.mode() == WriteMode.UPSERT || this.plan.mode() == WriteMode.UPDATE;
        if (byKey && this.byIndex) {
            IndexJoins.run(this.connection, statement::run);
        }
        else {
            statement.run();
        }
    }

    /** Runs the work under a savepoint; an error that may be a row's rolls it back and is returned, the load's are thrown. */
    private SQLException underSavepoint(Work work) throws SQLException {
        return Savepoints.attempt(this.connection, work::run);
    }

    /** A statement on the load's connection. */
    @FunctionalInterface
    private interface SqlAction {

        void run() throws SQLException;
    }

    /** Statements that may fail for a row's fault. */
    @FunctionalInterface
    private interface Work {

        long run() throws SQLException;
    }
}
