package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.postgresql.util.ServerErrorMessage;

import dev.bulkload.catalog.CheckConstraint;
import dev.bulkload.catalog.ForeignKey;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.TypeShape;
import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ColumnSet;
import dev.bulkload.row.ColumnSets;
import dev.bulkload.row.Reject;

/**
 * Describes a row the database refused on its own, the same way for every writer and for {@code onError=abort}
 * and {@code skip} alike: record, line and raw text from the ledger; SQLSTATE, constraint and column from the
 * error's fields (never from its message text); where the error names no column, the column the service knows:
 * the only column of the violated CHECK, foreign key or unique key, else the value its type refuses on its own
 * ({@link CastCheck}: a failed input conversion, a domain's CHECK or NOT NULL). Also says whether the row is at
 * fault whatever the statement: by SQLSTATE, because one of its values is invalid, or because a row-level
 * security policy of the table refused it.
 */
public final class RowRefusals {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private static final String NOT_NULL = "23502";

    private final Connection connection;

    private final int serverVersion;

    private final LoadableTable table;

    private final ColumnSets sets;

    private final BooleanSupplier tableChanged;

    /**
     * @param sets the column sets of the load's rows
     * @param tableChanged whether the table's definition, read again from the catalog, differs from {@code table}
     */
    public RowRefusals(Connection connection, int serverVersion, LoadableTable table, ColumnSets sets,
            BooleanSupplier tableChanged) {
        this.connection = connection;
        this.serverVersion = serverVersion;
        this.table = table;
        this.sets = sets;
        this.tableChanged = tableChanged;
    }

    Connection connection() {
        return this.connection;
    }

    /** Whether the table changed since the load read its definition (the catalog is read again). */
    boolean tableChanged() {
        return this.tableChanged.getAsBoolean();
    }

    /**
     * @param row the ledger index of the row, which failed alone with {@code error} (rolled back already)
     */
    RowRefusal describe(ChunkLedger ledger, int row, SQLException error) throws SQLException {
        ColumnSet set = this.sets.get(ledger.set(row));
        List<String> names = set.names(this.table);
        ServerErrorMessage server = SqlFailure.server(error);
        SqlFailure.Fault fault = SqlFailure.fault(error);
        String sqlState = error.getSQLState();
        String message = SqlFailure.message(error);
        String constraint = (server != null) ? server.getConstraint() : null;
        String column = (server != null) ? server.getColumn() : null;
        boolean domain = server != null && server.getDatatype() != null;
        if (column == null && constraint != null && !domain) {
            column = constraintColumn(constraint);
        }
        List<String> types = Arrays.stream(set.indexes()).mapToObj((i) -> this.table.columns().get(i).type())
            .toList();
        String[] values = ledger.values(row, names.size());
        if (column == null && domain && NOT_NULL.equals(sqlState)) {
            column = nullOfDomain(server.getDatatype(), names, types, values);
        }
        boolean valueRefused = false;
        // a conversion error, a domain's constraint and an error of unclear origin may be a value's own
        if (fault == SqlFailure.Fault.UNCLEAR || (column == null && (sqlState.startsWith("22") || domain))) {
            boolean[] composite = new boolean[names.size()];
            for (int i = 0; i < composite.length; i++) {
                composite[i] = this.table.columns().get(set.indexes()[i]).shape().kind() == TypeShape.Kind.COMPOSITE;
            }
            CastCheck.InvalidValue invalid = CastCheck.firstInvalid(this.connection, this.serverVersion, values,
                    types, composite);
            if (invalid != null) {
                valueRefused = true;
                column = names.get(invalid.index());
                if (fault == SqlFailure.Fault.UNCLEAR) {
                    // the value's own error is the row's reason, not what the statement made of it
                    sqlState = invalid.sqlState();
                    message = invalid.message();
                    constraint = null;
                }
            }
        }
        boolean policy = INSUFFICIENT_PRIVILEGE.equals(sqlState) && this.table.rowSecurity();
        boolean atFault = fault == SqlFailure.Fault.ROW || valueRefused || policy;
        return new RowRefusal(ledger.reject(row, column, sqlState, constraint, message), atFault);
    }

    /** The only column of the table's CHECK, foreign key or unique key of this name, or null. */
    private String constraintColumn(String constraint) {
        List<String> columns = null;
        for (CheckConstraint check : this.table.checks()) {
            if (check.name().equals(constraint)) {
                columns = check.columns();
            }
        }
        for (ForeignKey foreignKey : this.table.foreignKeys()) {
            if (foreignKey.name().equals(constraint)) {
                columns = foreignKey.columns();
            }
        }
        for (Map.Entry<List<String>, String> key : this.table.keyNames().entrySet()) {
            if (key.getValue().equals(constraint)) {
                columns = key.getKey();
            }
        }
        if (columns == null || columns.size() != 1) {
            return null;
        }
        return columns.get(0);
    }

    /** The first of the row's columns holding NULL whose type is the domain {@code datatype}, or null. */
    private static String nullOfDomain(String datatype, List<String> names, List<String> types, String[] values) {
        String quoted = SqlIdentifier.quote(datatype);
        for (int i = 0; i < values.length; i++) {
            String type = types.get(i);
            if (values[i] == null && (type.equals(datatype) || type.equals(quoted) || type.endsWith("." + datatype)
                    || type.endsWith("." + quoted))) {
                return names.get(i);
            }
        }
        return null;
    }

    /**
     * A row that failed alone.
     * @param reject how it is reported
     * @param atFault whether it is the row's fault whatever the statement (its SQLSTATE is a row's, one of its
     *        values is invalid, a policy refused it); when not, the isolation decides
     */
    record RowRefusal(Reject reject, boolean atFault) {
    }
}
