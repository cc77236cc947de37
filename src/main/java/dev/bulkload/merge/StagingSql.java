package dev.bulkload.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.row.WriteMode;

/**
 * Builds every statement of a staged write for one column set from catalog-resolved identifiers:
 * the staging tables, the type validation, the set-based checks and the merge of each mode. Values
 * never appear in the SQL; record ranges are bound as {@code BETWEEN ? AND ?} pairs (see
 * {@link StagedChunkWriter#range}).
 */
final class StagingSql {

    /** The staging table's record-number column; the {@code $} keeps it apart from any real column. */
    static final String RECORD = SqlIdentifier.quote("bulkload$rec");

    private static final String RANGE = " BETWEEN ? AND ?";

    /** A staging table lives in the transaction that uses it: the next one may run on another backend. */
    private static final String ON_COMMIT = " ON COMMIT DROP";

    private final LoadableTable table;

    private final List<String> present;

    private final List<String> key;

    private final String stage;

    private final String textStage;

    /**
     * @param present the columns the rows carry, in table order
     * @param key the conflict/match key, empty for insert
     * @param stage the typed staging table's quoted name
     * @param textStage the quoted name of the staging table with text columns, for type validation
     */
    StagingSql(LoadableTable table, List<String> present, List<String> key, String stage, String textStage) {
        this.table = table;
        this.present = List.copyOf(present);
        this.key = List.copyOf(key);
        this.stage = stage;
        this.textStage = textStage;
    }

    List<String> present() {
        return this.present;
    }

    List<String> quotedPresent() {
        return this.present.stream().map(SqlIdentifier::quote).toList();
    }

    String stage() {
        return this.stage;
    }

    String textStage() {
        return this.textStage;
    }

    String createStage() {
        StringJoiner columns = new StringJoiner(", ", "(", ")");
        columns.add(RECORD + " bigint");
        for (String column : this.present) {
            columns.add(SqlIdentifier.quote(column) + " " + this.table.column(column).type());
        }
        return "CREATE TEMP TABLE " + this.stage + " " + columns + ON_COMMIT;
    }

    String createTextStage() {
        StringJoiner columns = new StringJoiner(", ", "(", ")");
        columns.add(RECORD + " bigint");
        for (String column : this.present) {
            columns.add(SqlIdentifier.quote(column) + " text");
        }
        return "CREATE TEMP TABLE " + this.textStage + " " + columns + ON_COMMIT;
    }

    /**
     * Staged text rows with a value its column's type refuses: the record, then per column the
     * error ({@code "<sqlstate> <message>"}) or null. Only columns whose type can refuse text are checked.
     * @param errors per present column, an expression over the quoted column answering its error or NULL;
     * null where the type takes any text
     */
    String invalidValues(List<String> errors) {
        StringJoiner any = new StringJoiner(" OR ");
        StringJoiner all = new StringJoiner(", ", "ARRAY[", "]::text[]");
        for (String error : errors) {
            all.add((error != null) ? error : "NULL");
            if (error != null) {
                any.add(error + " IS NOT NULL");
            }
        }
        return "SELECT " + RECORD + ", " + all + " FROM " + this.textStage + " WHERE " + any + " ORDER BY " + RECORD;
    }

    /**
     * Moves the text rows whose records are not in the bound array into the typed stage, converting each value.
     * @param conversions per present column, the expression converting its quoted text column to its type
     */
    RangeSql insertFromText(List<String> conversions) {
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner values = new StringJoiner(", ");
        for (int i = 0; i < this.present.size(); i++) {
            columns.add(SqlIdentifier.quote(this.present.get(i)));
            values.add(conversions.get(i));
        }
        return new RangeSql("INSERT INTO " + this.stage + " (" + RECORD + ", " + columns + ") SELECT " + RECORD + ", "
                + values + " FROM " + this.textStage + " WHERE " + RECORD + RANGE + " AND NOT (" + RECORD + " = ANY(?))",
                1);
    }

    String textRecords() {
        return "SELECT " + RECORD + " FROM " + this.textStage + " ORDER BY " + RECORD;
    }

    /** Statistics of the record column only: it gives the planner the stage's size, which is what its plans need, at a fraction of a full ANALYZE. */
    String analyze() {
        return "ANALYZE " + this.stage + " (" + RECORD + ")";
    }

    /** The staged records within a range, in order. */
    RangeSql records() {
        return new RangeSql("SELECT " + RECORD + " FROM " + this.stage + " WHERE " + RECORD + RANGE + " ORDER BY "
                + RECORD, 1);
    }

    String deleteRecords() {
        return "DELETE FROM " + this.stage + " WHERE " + RECORD + " = ANY(?)";
    }

    /**
     * The given records' values of {@code columns} as text (their types' output), to name a violated key's value
     * as PostgreSQL's own detail does: record, then one text per column. Binds the records as one array.
     */
    String keyValues(List<String> columns) {
        StringJoiner values = new StringJoiner(", ");
        for (String column : columns) {
            values.add(SqlIdentifier.quote(column) + "::text");
        }
        return "SELECT " + RECORD + ", " + values + " FROM " + this.stage + " WHERE " + RECORD + " = ANY(?)";
    }

    /** Every staged record. */
    String allRecords() {
        return "SELECT " + RECORD + " FROM " + this.stage + " ORDER BY " + RECORD;
    }

    /** Rows with NULL in any of the columns: record and the first such column. */
    String nullIn(List<String> columns) {
        StringJoiner cases = new StringJoiner(" ", "CASE ", " END");
        StringJoiner where = new StringJoiner(" OR ");
        for (String column : columns) {
            cases.add("WHEN " + SqlIdentifier.quote(column) + " IS NULL THEN " + literal(column));
            where.add(SqlIdentifier.quote(column) + " IS NULL");
        }
        return "SELECT " + RECORD + ", " + cases + " FROM " + this.stage + " WHERE " + where;
    }

    /** Rows for which the CHECK expression is false (NULL passes, as in PostgreSQL). */
    String checkFails(String expression) {
        return "SELECT " + RECORD + " FROM " + this.stage + " WHERE (" + expression + ") IS FALSE";
    }

    /** Rows whose non-null foreign key matches no referenced row (and, for a self reference, no staged row). */
    String foreignKeyMisses(List<String> columns, String referencedTable, List<String> referencedColumns,
            boolean selfReferencing) {
        StringJoiner notNull = new StringJoiner(" AND ");
        StringJoiner match = new StringJoiner(" AND ");
        StringJoiner stagedMatch = new StringJoiner(" AND ");
        for (int i = 0; i < columns.size(); i++) {
            String column = "s." + SqlIdentifier.quote(columns.get(i));
            notNull.add(column + " IS NOT NULL");
            match.add("p." + SqlIdentifier.quote(referencedColumns.get(i)) + " = " + column);
            stagedMatch.add("o." + SqlIdentifier.quote(referencedColumns.get(i)) + " = " + column);
        }
        String sql = "SELECT s." + RECORD + " FROM " + this.stage + " s WHERE " + notNull
                + " AND NOT EXISTS (SELECT 1 FROM " + referencedTable + " p WHERE " + match + ")";
        if (selfReferencing && this.present.containsAll(referencedColumns)) {
            sql += " AND NOT EXISTS (SELECT 1 FROM " + this.stage + " o WHERE " + stagedMatch + ")";
        }
        return sql;
    }

    /**
     * Within a range, earlier (keepLast) or later (keep first) occurrences of a key, deleted and returned.
     * Only repeated keys are numbered (a hash aggregate finds them first). Binds the range twice.
     */
    RangeSql deleteRepeatedKeys(boolean keepLast) {
        String keyList = list(this.key, SqlIdentifier::quote);
        String names = keyList.substring(1, keyList.length() - 1);
        return new RangeSql("DELETE FROM " + this.stage + " WHERE " + RECORD + " IN (SELECT " + RECORD + " FROM (SELECT "
                + RECORD + ", row_number() OVER (PARTITION BY " + names + " ORDER BY " + RECORD
                + (keepLast ? " DESC" : "") + ") AS n FROM " + this.stage + " WHERE " + RECORD + RANGE + " AND " + keyList
                + " IN (SELECT " + names + " FROM " + this.stage + " WHERE " + RECORD + RANGE + " GROUP BY " + names
                + " HAVING count(*) > 1)) x WHERE n > 1) RETURNING " + RECORD, 2);
    }

    /**
     * Later occurrences of a non-null unique key value within the staged rows; only repeated values are
     * numbered (a hash aggregate finds them first, cheaper than sorting every row).
     */
    String repeatedWithin(List<String> unique) {
        String columns = list(unique, SqlIdentifier::quote);
        String names = columns.substring(1, columns.length() - 1);
        return "SELECT " + RECORD + " FROM (SELECT " + RECORD + ", row_number() OVER (PARTITION BY " + names
                + " ORDER BY " + RECORD + ") AS n FROM " + this.stage + " WHERE " + columns + " IN (SELECT " + names
                + " FROM " + this.stage + " WHERE " + notNull(unique, "") + " GROUP BY " + names
                + " HAVING count(*) > 1)) x WHERE n > 1";
    }

    /** Staged rows whose unique key value is held by an existing row that is not the one the row targets by key. */
    String takenInTable(List<String> unique) {
        String sql = "SELECT s." + RECORD + " FROM " + this.stage + " s JOIN " + this.table.sqlName() + " t ON "
                + equal("t", "s", unique);
        if (!this.key.isEmpty()) {
            sql += " WHERE NOT (" + equal("t", "s", this.key) + ")";
        }
        return sql;
    }

    /** For ignore: like {@link #takenInTable} but only rows whose key does not exist yet (the others are skipped). */
    String takenInTableForNewKeys(List<String> unique) {
        return takenInTable(unique) + " AND NOT EXISTS (SELECT 1 FROM " + this.table.sqlName() + " k WHERE "
                + equal("k", "s", this.key) + ")";
    }

    /** Staged rows whose key matches no row of the table. */
    String unmatchedAll() {
        return "SELECT s." + RECORD + " FROM " + this.stage + " s WHERE NOT EXISTS (SELECT 1 FROM "
                + this.table.sqlName() + " t WHERE " + equal("t", "s", this.key) + ")";
    }

    /** Staged rows within a range whose key matches no row of the table, in record order. */
    RangeSql unmatched() {
        return new RangeSql(unmatchedAll() + " AND s." + RECORD + RANGE + " ORDER BY s." + RECORD, 1);
    }

    /**
     * The merge of the staged rows in a range, answering one row: inserted, updated, and (for upsert and
     * update) rows whose key this load had already written, then the transaction id that wrote them (null when
     * none). Rows go in key order, so concurrent loads of the same keys lock them in the same order. Binds the
     * range once (insert, update) or twice (ignore, upsert); upsert and update bind first the transactions that
     * wrote the load's earlier rows, an {@code int8multirange} ({@link OwnWrites}).
     * @param overridingSystemValue whether the INSERT stores given values of {@code GENERATED ALWAYS} identity
     *        columns (an UPDATE never can)
     */
    RangeSql merge(WriteMode mode, boolean overridingSystemValue) {
        String overriding = overridingSystemValue ? " OVERRIDING SYSTEM VALUE" : "";
        String columns = list(this.present, SqlIdentifier::quote);
        String names = columns.substring(1, columns.length() - 1);
        String keyList = list(this.key, SqlIdentifier::quote);
        String byKey = this.key.isEmpty() ? RECORD : keyList.substring(1, keyList.length() - 1) + ", " + RECORD;
        String select = "SELECT " + names + " FROM " + this.stage + " WHERE " + RECORD + RANGE + " ORDER BY " + byKey;
        String merge = switch (mode) {
            case INSERT -> "WITH m AS (INSERT INTO " + this.table.sqlName() + " " + columns + overriding + " SELECT " + names
                    + " FROM " + this.stage + " WHERE " + RECORD + RANGE + " RETURNING 1) SELECT count(*), 0, 0 FROM m";
            // rows not inserted because their key exists are the skipped ones
            case IGNORE -> "WITH m AS (INSERT INTO " + this.table.sqlName() + " " + columns + overriding + " " + select
                    + " ON CONFLICT " + keyList + " DO NOTHING RETURNING 1) SELECT count(*), 0, (SELECT count(*) FROM "
                    + this.stage + " WHERE " + RECORD + RANGE + ") - count(*) FROM m";
            // existing keys are updated (so NOT NULL columns absent from the payload do not matter to them),
            // new keys inserted; ON CONFLICT only catches a key another transaction inserts meanwhile
            case UPSERT -> counted(updateExisting() + "), i AS (INSERT INTO " + this.table.sqlName() + " AS t "
                    + columns + overriding + " SELECT " + names + " FROM " + this.stage + " s WHERE s." + RECORD + RANGE
                    + " AND NOT EXISTS (SELECT 1 FROM " + this.table.sqlName() + " x WHERE " + equal("x", "s", this.key)
                    + ") ORDER BY " + qualified("s", this.key) + " ON CONFLICT " + keyList + " DO UPDATE SET "
                    + assignments("EXCLUDED") + " RETURNING " + qualified("t", this.key)
                    + ", (t.xmax = 0) AS inserted, false AS repeated, t.xmin AS written), b AS (SELECT * FROM u UNION "
                    + "ALL SELECT * FROM i", "b");
            case UPDATE -> counted(updateExisting(), "u");
        };
        return new RangeSql(merge, (mode == WriteMode.UPSERT || mode == WriteMode.IGNORE) ? 2 : 1);
    }

    /**
     * Updates the rows whose key exists, answering key columns, "inserted" (false), "repeated" and "written". A row
     * is repeated when, as the statement found it, one of the load's own transactions wrote it ({@code xmin} in
     * the bound multirange, read once): its key was written earlier in the load, in this transaction or an earlier
     * one, so no table of keys has to outlive a transaction. One probe of the key's index per staged row, in the
     * update's own join. Binds that multirange first, then the range.
     */
    private String updateExisting() {
        // a scalar sub-select, not EXISTS: the planner may run an EXISTS once over the whole table, hashed
        return "WITH u AS (UPDATE " + this.table.sqlName() + " t SET " + assignments("s") + " FROM (SELECT s.*, "
                + "coalesce((SELECT true FROM " + this.table.sqlName() + " o WHERE " + equal("o", "s", this.key)
                + " AND o.xmin::text::bigint <@ (SELECT ?::int8multirange) LIMIT 1), false) AS repeated FROM "
                + this.stage
                + " s WHERE s." + RECORD + RANGE + ") s WHERE " + equal("t", "s", this.key) + " RETURNING "
                + qualified("t", this.key) + ", false AS inserted, s.repeated, t.xmin AS written";
    }

    /** Completes CTEs that end in {@code last}, counting rows whose key the load wrote earlier apart. */
    private static String counted(String ctes, String last) {
        return ctes + "), m AS (SELECT * FROM " + last + ") SELECT count(*) FILTER (WHERE inserted AND NOT repeated), "
                + "count(*) FILTER (WHERE NOT inserted AND NOT repeated), count(*) FILTER (WHERE repeated), "
                + "max(written::text::bigint) FROM m";
    }

    /**
     * {@code c = source.c} for the payload's non-key columns. When there are none, a column set to itself, so the
     * matched row still counts as updated (and its triggers fire): the first key column that an UPDATE may set,
     * else the first column of the table that it may (never a {@code GENERATED ALWAYS} identity or generated
     * column, which an UPDATE can only set to DEFAULT).
     */
    private String assignments(String source) {
        List<String> targets = new ArrayList<>();
        for (String column : this.present) {
            if (!this.key.contains(column)) {
                targets.add(column);
            }
        }
        StringJoiner set = new StringJoiner(", ");
        for (String column : targets) {
            set.add(SqlIdentifier.quote(column) + " = " + source + "." + SqlIdentifier.quote(column));
        }
        if (targets.isEmpty()) {
            String itself = this.key.stream().filter(this::updatable).findFirst()
                .orElseGet(() -> this.table.columns().stream().map(LoadableColumn::name).filter(this::updatable)
                    .findFirst().orElse(this.key.get(0)));
            set.add(SqlIdentifier.quote(itself) + " = t." + SqlIdentifier.quote(itself));
        }
        return set.toString();
    }

    private boolean updatable(String column) {
        LoadableColumn definition = this.table.column(column);
        return !definition.generated() && !definition.identityAlways();
    }

    private static String equal(String left, String right, List<String> columns) {
        StringJoiner joined = new StringJoiner(" AND ");
        for (String column : columns) {
            String quoted = SqlIdentifier.quote(column);
            joined.add(left + "." + quoted + " = " + right + "." + quoted);
        }
        return joined.toString();
    }

    private static String notNull(List<String> columns, String prefix) {
        StringJoiner joined = new StringJoiner(" AND ");
        for (String column : columns) {
            joined.add(prefix + SqlIdentifier.quote(column) + " IS NOT NULL");
        }
        return joined.toString();
    }

    private static String qualified(String alias, List<String> columns) {
        StringJoiner joined = new StringJoiner(", ");
        for (String column : columns) {
            joined.add(alias + "." + SqlIdentifier.quote(column));
        }
        return joined.toString();
    }

    private static String list(List<String> columns, Function<String, String> quote) {
        StringJoiner joined = new StringJoiner(", ", "(", ")");
        columns.forEach((c) -> joined.add(quote.apply(c)));
        return joined.toString();
    }

    /** A string literal; used only for names and types from the catalog, quotes doubled. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
