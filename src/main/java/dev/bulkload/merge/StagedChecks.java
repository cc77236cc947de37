package dev.bulkload.merge;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import dev.bulkload.catalog.CheckConstraint;
import dev.bulkload.catalog.ForeignKey;
import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.jdbc.Statements;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.Reject;
import dev.bulkload.row.WriteMode;

/**
 * With {@code onError=skip}, finds the staged rows the table would refuse, one query per rule over
 * all of them: NOT NULL, CHECK, foreign keys, unique keys repeated in the payload or taken in the
 * table. The rows found are deleted from the stage and rejected; the merge then rarely fails, and
 * when it does the isolator finds the rest.
 */
final class StagedChecks {

    private final Connection connection;

    private final LoadableTable table;

    private final MergePlan plan;

    private final StagingSql sql;

    private final ChunkLedger ledger;

    /** Whether the stage is large enough to be joined to the table by index ({@link IndexJoins}). */
    private final boolean byIndex;

    private final Set<Long> seen = new HashSet<>();

    private final List<Reject> found = new ArrayList<>();

    StagedChecks(Connection connection, LoadableTable table, MergePlan plan, StagingSql sql, ChunkLedger ledger,
            boolean byIndex) {
        this.byIndex = byIndex;
        this.connection = connection;
        this.table = table;
        this.plan = plan;
        this.sql = sql;
        this.ledger = ledger;
    }

    /** Runs every check; returns the rejects found (and deleted from the stage), one per record. */
    List<Reject> run() throws SQLException {
        List<String> present = this.sql.present();
        notNull(present);
        for (CheckConstraint check : this.table.checks()) {
            if (present.containsAll(check.columns())) {
                String column = (check.columns().size() == 1) ? check.columns().get(0) : null;
                for (long record : Statements.longs(this.connection, this.sql.checkFails(check.expression()))) {
                    add(record, column, "23514", check.name(), "new row for relation \"" + this.table.name()
                            + "\" violates check constraint \"" + check.name() + "\"");
                }
            }
        }
        for (ForeignKey foreignKey : this.table.foreignKeys()) {
            if (foreignKey.readable() && present.containsAll(foreignKey.columns())) {
                String column = (foreignKey.columns().size() == 1) ? foreignKey.columns().get(0) : null;
                String query = this.sql.foreignKeyMisses(foreignKey.columns(), foreignKey.referencedTable(),
                        foreignKey.referencedColumns(), foreignKey.selfReferencing());
                String message = "insert or update on table \"" + this.table.name()
                        + "\" violates foreign key constraint \"" + foreignKey.name() + "\"";
                String missing = " is not present in table \"" + relationName(foreignKey.referencedTable()) + "\".";
                long[] records = Statements.longs(this.connection, query);
                Map<Long, String> keys = keys(records, foreignKey.columns());
                for (long record : records) {
                    add(record, column, "23503", foreignKey.name(), message + " (" + keys.get(record) + missing + ")");
                }
            }
        }
        uniqueKeys(present);
        if (!this.found.isEmpty()) {
            long[] records = this.found.stream().mapToLong(Reject::record).toArray();
            Statements.update(this.connection, this.sql.deleteRecords(), Statements.bigints(this.connection, records));
        }
        return this.found;
    }

    private void notNull(List<String> present) throws SQLException {
        List<String> notNull = new ArrayList<>();
        for (String column : present) {
            if (!this.table.column(column).nullable()) {
                notNull.add(column);
            }
        }
        if (this.plan.mode() != WriteMode.UPDATE) {
            for (LoadableColumn column : this.table.columns()) {
                if (!column.nullable() && !column.hasDefault() && !column.generated()
                        && !present.contains(column.name())) {
                    // an upsert only inserts, and so only needs the column, for keys not in the table yet
                    String query = (this.plan.mode() == WriteMode.UPSERT && this.table.readable())
                            ? this.sql.unmatchedAll() : this.sql.allRecords();
                    for (long record : Statements.longs(this.connection, query)) {
                        add(record, column.name(), "23502", null, notNullMessage(column.name()));
                    }
                }
            }
        }
        if (!notNull.isEmpty()) {
            Statements.query(this.connection, this.sql.nullIn(notNull), (rs) -> {
                String column = rs.getString(2);
                add(rs.getLong(1), column, "23502", null, notNullMessage(column));
            });
        }
    }

    private void uniqueKeys(List<String> present) throws SQLException {
        for (List<String> unique : this.table.allUniqueKeys()) {
            if (unique.equals(this.plan.key()) || !present.containsAll(unique)) {
                continue;
            }
            String constraint = this.table.keyNames().get(unique);
            String column = (unique.size() == 1) ? unique.get(0) : null;
            String message = "duplicate key value violates unique constraint \"" + constraint + "\"";
            long[] repeated = Statements.longs(this.connection, this.sql.repeatedWithin(unique));
            Map<Long, String> repeatedKeys = keys(repeated, unique);
            for (long record : repeated) {
                add(record, column, "23505", constraint,
                        message + " (" + repeatedKeys.get(record) + " is repeated in the payload)");
            }
            if (this.table.readable()) {
                String taken = (this.plan.mode() == WriteMode.IGNORE) ? this.sql.takenInTableForNewKeys(unique)
                        : this.sql.takenInTable(unique);
                // by the unique key's index, one probe per staged row, not a scan of the whole table per chunk
                long[] records;
                if (this.byIndex) {
                    long[][] found = new long[1][];
                    IndexJoins.run(this.connection, () -> found[0] = Statements.longs(this.connection, taken));
                    records = found[0];
                }
                else {
                    records = Statements.longs(this.connection, taken);
                }
                Map<Long, String> keys = keys(records, unique);
                for (long record : records) {
                    add(record, column, "23505", constraint,
                            message + " (" + keys.get(record) + " already exists in the table.)");
                }
            }
        }
    }

    /**
     * The records' values of the key, as PostgreSQL's detail names them: {@code Key (a, b)=(1, x)} (column names
     * as they are, values in their types' text); one query, and only when a check found records.
     */
    private Map<Long, String> keys(long[] records, List<String> columns) throws SQLException {
        Map<Long, String> keys = new HashMap<>();
        if (records.length == 0) {
            return keys;
        }
        String names = String.join(", ", columns);
        Statements.query(this.connection, this.sql.keyValues(columns), (rs) -> {
            StringJoiner values = new StringJoiner(", ", "Key (" + names + ")=(", ")");
            for (int i = 0; i < columns.size(); i++) {
                String value = rs.getString(i + 2);
                values.add((value != null) ? value : "null");
            }
            keys.put(rs.getLong(1), values.toString());
        }, Statements.bigints(this.connection, records));
        return keys;
    }

    /** The relation's own name from its {@code regclass} text (schema-qualified and quoted where needed). */
    static String relationName(String regclass) {
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < regclass.length(); i++) {
            char c = regclass.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < regclass.length() && regclass.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                }
                else if (c == '"') {
                    quoted = false;
                }
                else {
                    part.append(c);
                }
            }
            else if (c == '"') {
                quoted = true;
            }
            else if (c == '.') {
                part.setLength(0);
            }
            else {
                part.append(c);
            }
        }
        return part.toString();
    }

    private String notNullMessage(String column) {
        return "null value in column \"" + column + "\" of relation \"" + this.table.name()
                + "\" violates not-null constraint";
    }

    private void add(long record, String column, String sqlState, String constraint, String message) {
        if (this.seen.add(record)) {
            this.found.add(this.ledger.reject(this.ledger.indexOf(record), column, sqlState, constraint, message));
        }
    }
}
