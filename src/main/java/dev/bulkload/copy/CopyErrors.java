package dev.bulkload.copy;

import java.sql.SQLException;

import org.postgresql.util.ServerErrorMessage;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.row.RowRejectedException;

/**
 * Maps a failed COPY back to the payload: the server's context {@code COPY t, line N, column c: ...}
 * names the N-th row of this statement, which the writer remembers by record and line.
 */
final class CopyErrors {

    private CopyErrors() {
    }

    /** Where the statement's rows came from: record and line of the row at a 1-based position. */
    interface RowOrigin {

        long record(int position);

        long line(int position);

        int rows();
    }

    static final RowOrigin NO_ROWS = new RowOrigin() {

        @Override
        public long record(int position) {
            throw new IndexOutOfBoundsException(position);
        }

        @Override
        public long line(int position) {
            throw new IndexOutOfBoundsException(position);
        }

        @Override
        public int rows() {
            return 0;
        }
    };

    static RuntimeException translate(SQLException ex, LoadableTable table, String relationName, RowOrigin origin) {
        ServerErrorMessage server = SqlFailure.server(ex);
        if (server == null || !SqlFailure.isDataError(ex)) {
            return SqlFailure.translate("COPY", ex);
        }
        Long record = null;
        Long line = null;
        String column = server.getColumn();
        String context = copyContext(server.getWhere(), relationName);
        if (context != null) {
            int digits = 0;
            while (digits < context.length() && Character.isDigit(context.charAt(digits))) {
                digits++;
            }
            if (digits > 0 && digits < 10) {
                int position = Integer.parseInt(context.substring(0, digits));
                if (position >= 1 && position <= origin.rows()) {
                    record = origin.record(position);
                    line = origin.line(position);
                }
            }
            if (column == null) {
                column = columnAfter(context.substring(digits), table);
            }
        }
        return new RowRejectedException(SqlFailure.message(ex), record, line, column, ex.getSQLState(),
                server.getConstraint());
    }

    /** The text after {@code COPY <table>, line } in the error context, or null. */
    private static String copyContext(String where, String tableName) {
        if (where == null) {
            return null;
        }
        String prefix = "COPY " + tableName + ", line ";
        for (String contextLine : where.split("\n")) {
            if (contextLine.startsWith(prefix)) {
                return contextLine.substring(prefix.length());
            }
        }
        return null;
    }

    private static String columnAfter(String rest, LoadableTable table) {
        String prefix = ", column ";
        if (!rest.startsWith(prefix)) {
            return null;
        }
        String named = rest.substring(prefix.length());
        String best = null;
        for (LoadableColumn column : table.columns()) {
            String name = column.name();
            boolean matches = named.startsWith(name)
                    && (named.length() == name.length() || named.charAt(name.length()) == ':');
            if (matches && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        return best;
    }
}
