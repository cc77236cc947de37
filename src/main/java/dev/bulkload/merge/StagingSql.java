package dev.bulkload.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.SqlIdentifier;

/**
 * Builds every statement of a staged write from catalog-resolved identifiers: the staging and key
 * tables, the set-based checks and the merge of each mode. Values never appear in the SQL.
 */
final class StagingSql {

    /** The staging table's record-number column; the {@code $} keeps it apart from any real column. */
    static final String RECORD = SqlIdentifier.quote("bulkload$rec");

    private final LoadableTable table;

    private final List<String> present;

    private final List<String> key;

    private final String stage;

    private final String keys;

    /**
     * @param present the columns the rows carry, in table order
     * @param key the conflict/match key, empty for insert
     * @param stage the staging table's quoted name
     * @param keys the quoted name of the load's table of keys already written, or null
     */
    StagingSql(LoadableTable table, List<String> present, List<String> key, String stage, String keys) {
        this.table = table;
        this.present = List.copyOf(present);
        this.key = List.copyOf(key);
        this.stage = stage;
        this.keys = keys;
    }

    String createStage() {
        StringJoiner columns = new StringJoiner(", ", "(", ")");
        columns.add(RECORD + " bigint");
        for (String column : this.present) {
            columns.add(SqlIdentifier.quote(column) + " " + this.table.column(column).type());
        }
        return "CREATE TEMP TABLE " + this.stage + " " + columns;
    }

    String dropStage() {
        return "DROP TABLE IF EXISTS " + this.stage;
    }

    String createKeys() {
        StringJoiner columns = new StringJoiner(", ", "(", ")");
        for (String column : this.key) {
            columns.add(SqlIdentifier.quote(column) + " " + this.table.column(column).type());
        }
        return "CREATE TEMP TABLE IF NOT EXISTS " + this.keys + " " + columns + "; CREATE UNIQUE INDEX IF NOT EXISTS "
                + SqlIdentifier.quote(bare(this.keys) + "_key") + " ON " + this.keys + " " + list(this.key, SqlIdentifier::quote);
    }

    /**
     * For insert with skipping: inserts the staged rows in [:first, :last] leaving out those that collide with an
     * existing row on any unique key, and answers the record numbers of those left out. {@code identity}
     * is a NOT NULL unique key present in the payload and unrepeated in it, to tell the rows apart.
     */
    String insertSkippingConflicts(List<String> identity) {
        String columns = list(this.present, SqlIdentifier::quote);
        String identityList = list(identity, SqlIdentifier::quote);
        return "WITH m AS (INSERT INTO " + this.table.sqlName() + " " + columns + " SELECT "
                + columns.substring(1, columns.length() - 1) + " FROM " + this.stage + " WHERE " + RECORD
                + " BETWEEN :first AND :last ORDER BY " + RECORD + " ON CONFLICT DO NOTHING RETURNING "
                + identityList.substring(1, identityList.length() - 1) + ") SELECT s." + RECORD + " FROM " + this.stage
                + " s WHERE s." + RECORD + " BETWEEN :first AND :last AND NOT EXISTS (SELECT 1 FROM m WHERE "
                + equal("m", "s", identity) + ") ORDER BY s." + RECORD;
    }

    /** Which of the given staged records collide with an existing row on this unique key. */
    String collidingOn(List<String> unique) {
        return "SELECT s." + RECORD + " FROM " + this.stage + " s JOIN " + this.table.sqlName() + " t ON "
                + equal("t", "s", unique) + " WHERE s." + RECORD + " = ANY(?)";
    }

    String analyze() {
        return "ANALYZE " + this.stage;
    }

    String recordRange() {
        return "SELECT min(" + RECORD + "), max(" + RECORD + "), count(*) FROM " + this.stage;
    }

    String records() {
        return "SELECT " + RECORD + " FROM " + this.stage + " ORDER BY " + RECORD;
    }

    String deleteRecords() {
        return "DELETE FROM " + this.stage + " WHERE " + RECORD + " = ANY(?)";
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

    /** Earlier (keepLast) or later (keep first) occurrences of a key within the staged rows, deleted and returned. */
    String deleteRepeatedKeys(boolean keepLast) {
        return "DELETE FROM " + this.stage + " a USING " + this.stage + " b WHERE " + equal("a", "b", this.key)
                + " AND a." + RECORD + (keepLast ? " < " : " > ") + "b." + RECORD + " RETURNING a." + RECORD;
    }

    /** Later occurrences of a non-null unique key value within the staged rows. */
    String repeatedWithin(List<String> unique) {
        String columns = list(unique, SqlIdentifier::quote);
        return "SELECT " + RECORD + " FROM (SELECT " + RECORD + ", row_number() OVER (PARTITION BY " + columns.substring(1, columns.length() - 1)
                + " ORDER BY " + RECORD + ") AS n FROM " + this.stage + " WHERE " + notNull(unique, "") + ") x WHERE n > 1";
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

    /** For update: staged rows whose key matches no row. */
    String unmatched() {
        return "SELECT s." + RECORD + " FROM " + this.stage + " s WHERE NOT EXISTS (SELECT 1 FROM "
                + this.table.sqlName() + " t WHERE " + equal("t", "s", this.key) + ")";
    }

    /**
     * The merge of the staged rows with record numbers in [{@code :first}, {@code :last}], answering one row:
     * inserted, updated, and (for upsert and update) rows whose key this load had already written.
     */
    String merge(dev.bulkload.row.WriteMode mode) {
        String columns = list(this.present, SqlIdentifier::quote);
        String select = "SELECT " + columns.substring(1, columns.length() - 1) + " FROM " + this.stage + " WHERE "
                + RECORD + " BETWEEN :first AND :last ORDER BY " + RECORD;
        String keyList = list(this.key, SqlIdentifier::quote);
        return switch (mode) {
            case INSERT -> "WITH m AS (INSERT INTO " + this.table.sqlName() + " " + columns + " " + select
                    + " RETURNING 1) SELECT count(*), 0, 0 FROM m";
            case IGNORE -> "WITH m AS (INSERT INTO " + this.table.sqlName() + " " + columns + " " + select
                    + " ON CONFLICT " + keyList + " DO NOTHING RETURNING 1) SELECT count(*), 0, 0 FROM m";
            // existing keys are updated (so NOT NULL columns absent from the payload do not matter to them),
            // new keys inserted; ON CONFLICT only catches a key another transaction inserts meanwhile
            case UPSERT -> counted(updateExisting() + "), i AS (INSERT INTO " + this.table.sqlName() + " AS t "
                    + columns + " SELECT " + columns.substring(1, columns.length() - 1) + " FROM " + this.stage
                    + " s WHERE s." + RECORD + " BETWEEN :first AND :last AND NOT EXISTS (SELECT 1 FROM " + this.table.sqlName()
                    + " x WHERE " + equal("x", "s", this.key) + ") ORDER BY s." + RECORD + " ON CONFLICT " + keyList
                    + " DO UPDATE SET " + assignments("EXCLUDED") + " RETURNING " + qualified("t", this.key)
                    + ", (t.xmax = 0) AS inserted), b AS (SELECT * FROM u UNION ALL SELECT * FROM i");
            case UPDATE -> counted(updateExisting());
        };
    }

    private String updateExisting() {
        return "WITH u AS (UPDATE " + this.table.sqlName() + " t SET " + assignments("s") + " FROM " + this.stage
                + " s WHERE " + equal("t", "s", this.key) + " AND s." + RECORD + " BETWEEN :first AND :last RETURNING "
                + qualified("t", this.key) + ", false AS inserted";
    }

    /**
     * Completes CTEs that end in one yielding key columns and "inserted" (opened by {@link #updateExisting}),
     * counting rows whose key was written earlier in the load apart.
     */
    private String counted(String ctes) {
        String keyNames = list(this.key, SqlIdentifier::quote);
        keyNames = keyNames.substring(1, keyNames.length() - 1);
        String last = ctes.contains("), b AS (") ? "b" : "u";
        return ctes + "), m AS (SELECT * FROM " + last + "), r AS (SELECT m.*, EXISTS (SELECT 1 FROM " + this.keys + " k WHERE "
                + equal("k", "m", this.key) + ") AS repeated FROM m), n AS (INSERT INTO " + this.keys + " SELECT "
                + keyNames + " FROM r WHERE NOT repeated) SELECT count(*) FILTER (WHERE inserted AND NOT repeated), "
                + "count(*) FILTER (WHERE NOT inserted AND NOT repeated), count(*) FILTER (WHERE repeated) FROM r";
    }

    /** {@code c = source.c} for the payload's non-key columns; the first key column when there are none. */
    private String assignments(String source) {
        List<String> targets = new ArrayList<>();
        for (String column : this.present) {
            if (!this.key.contains(column)) {
                targets.add(column);
            }
        }
        if (targets.isEmpty()) {
            targets.add(this.key.get(0));
        }
        StringJoiner set = new StringJoiner(", ");
        for (String column : targets) {
            set.add(SqlIdentifier.quote(column) + " = " + source + "." + SqlIdentifier.quote(column));
        }
        return set.toString();
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

    /** A string literal; used only for column names from the catalog, quotes doubled. */
    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String bare(String quoted) {
        return quoted.substring(quoted.lastIndexOf('.') + 2, quoted.length() - 1);
    }
}
