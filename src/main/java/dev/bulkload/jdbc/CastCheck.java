package dev.bulkload.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

/**
 * Finds the value of a refused row that its column's type refuses on its own, the way COPY and an INSERT read
 * it (the type's input function with the column's type modifier, a domain's constraints included), so a row
 * refused for a value is named with its column even when the server's error names none (a failed input
 * conversion, a domain's CHECK), and an error whose SQLSTATE alone does not say whose fault it is (42601 from
 * tsvector's input) is known to be the row's. PostgreSQL 16 and newer answer with {@code pg_input_error_info}
 * in one query; older servers assign each value to a PL/pgSQL variable of the type under a savepoint (an
 * assignment, unlike a cast, refuses a value too long for {@code varchar(n)} or {@code bit(n)} instead of
 * cutting or padding it). The value is bound (through a transaction-local setting before 16), never written
 * into the SQL; the type's text comes from the catalog.
 */
public final class CastCheck {

    private static final String FIRST_INVALID = """
            select v.i, e.sql_error_code, e.message
            from unnest(?::text[], ?::text[]) with ordinality as v(value, type, i)
            cross join lateral pg_input_error_info(v.value, v.type) e
            where v.value is not null and e.sql_error_code is not null
            order by v.i limit 1
            """;

    private static final String ERROR_INFO = "select e.sql_error_code, e.message from pg_input_error_info(?, ?) e";

    private static final String TYPE_EXISTS = "select to_regtype(?) is not null";

    private static final String SETTING = "bulkload.cast_check";

    private static final String SET_VALUE = "select set_config('" + SETTING + "', ?, true)";

    private CastCheck() {
    }

    /**
     * @param values the row's values as text, null for NULL
     * @param types each value's column type as {@code format_type} renders it (from the catalog)
     * @param composite for each value, whether its type is composite (or a domain over one), see {@link #initializer}
     * @return the first value its type refuses, or null when the type of each takes it
     */
    public static InvalidValue firstInvalid(Connection connection, int serverVersion, String[] values,
            List<String> types, boolean[] composite) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            // no value of any type holds a NUL, and a query cannot even carry it as a parameter (22021)
            if (values[i] != null && values[i].indexOf('\0') >= 0) {
                return new InvalidValue(i, "22021", "invalid byte sequence for encoding \"UTF8\": 0x00");
            }
        }
        if (serverVersion >= 16) {
            InvalidValue[] found = { null };
            SQLException failed = undone(connection, () -> found[0] = firstInvalidAtOnce(connection, values, types));
            if (failed == null) {
                return found[0];
            }
            // an input function that cannot report softly raised its error: ask value by value
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                InvalidValue invalid = check(connection, serverVersion, i, values[i], types.get(i), composite[i]);
                if (invalid != null) {
                    return invalid;
                }
            }
        }
        return null;
    }

    private static InvalidValue firstInvalidAtOnce(Connection connection, String[] values, List<String> types)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FIRST_INVALID)) {
            Array valueArray = connection.createArrayOf("text", values);
            Array typeArray = connection.createArrayOf("text", types.toArray(String[]::new));
            statement.setArray(1, valueArray);
            statement.setArray(2, typeArray);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? new InvalidValue(rs.getInt(1) - 1, rs.getString(2), rs.getString(3)) : null;
            }
        }
    }

    /** The value's error, or null when the type takes it; an error the check raises is the value's error. */
    private static InvalidValue check(Connection connection, int serverVersion, int index, String value, String type,
            boolean composite) throws SQLException {
        InvalidValue[] reported = { null };
        SQLException raised = undone(connection, () -> {
            if (serverVersion >= 16) {
                try (PreparedStatement statement = connection.prepareStatement(ERROR_INFO)) {
                    statement.setString(1, value);
                    statement.setString(2, type);
                    try (ResultSet rs = statement.executeQuery()) {
                        if (rs.next() && rs.getString(1) != null) {
                            reported[0] = new InvalidValue(index, rs.getString(1), rs.getString(2));
                        }
                    }
                }
                return;
            }
            try (PreparedStatement statement = connection.prepareStatement(SET_VALUE)) {
                statement.setString(1, value);
                statement.executeQuery().close();
            }
            // the type text comes from the catalog (format_type), never from the request
            Statements.execute(connection, "DO $bulkload$ DECLARE v " + type + " := "
                    + initializer("current_setting('" + SETTING + "')", type, composite) + "; BEGIN END $bulkload$");
        });
        if (reported[0] != null) {
            return reported[0];
        }
        if (raised == null || !typeExists(connection, type)) {
            // a type that no longer exists says nothing about the value: the table changed
            return null;
        }
        return new InvalidValue(index, raised.getSQLState(), SqlFailure.message(raised));
    }

    /**
     * The expression a PL/pgSQL variable of the type is initialised with to read the text {@code text} as the type's
     * input would: the text itself (an assignment, which refuses a value too long for {@code varchar(n)} or
     * {@code bit(n)} where a cast cuts or pads it), but for a composite type, to which PL/pgSQL assigns no text, an
     * explicit cast (its input conversion; a composite type has no type modifier to differ).
     */
    public static String initializer(String text, String type, boolean composite) {
        return composite ? "CAST(" + text + " AS " + type + ")" : text;
    }

    private static boolean typeExists(Connection connection, String type) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TYPE_EXISTS)) {
            statement.setString(1, type);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Runs the work under a savepoint that is always rolled back (the check leaves nothing behind, not even the
     * setting); returns the error it raised, null when none. The load's errors (a lost connection) are thrown.
     */
    private static SQLException undone(Connection connection, Savepoints.Work work) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        SQLException raised = null;
        try {
            work.run();
        }
        catch (SQLException ex) {
            if (SqlFailure.fault(ex) == SqlFailure.Fault.LOAD) {
                throw ex;
            }
            raised = ex;
        }
        connection.rollback(savepoint);
        connection.releaseSavepoint(savepoint);
        return raised;
    }

    /**
     * A value its column's type refuses.
     * @param index the value's position among the row's values
     * @param sqlState the input function's SQLSTATE
     * @param message its message
     */
    public record InvalidValue(int index, String sqlState, String message) {
    }
}
