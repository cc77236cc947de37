package dev.bulkload.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Names the column whose value cannot be converted to its type, for a row refused with a data
 * exception: the server's error names no column for a failed input conversion (only its message
 * text does, which is translated and not to be parsed). PostgreSQL 16 and newer answer with
 * {@code pg_input_is_valid} in one query; older servers try each value's cast under a savepoint.
 */
public final class CastCheck {

    private static final String FIRST_INVALID = """
            select v.i from unnest(?::text[], ?::text[]) with ordinality as v(value, type, i)
            where not pg_input_is_valid(v.value, v.type) order by v.i limit 1
            """;

    private CastCheck() {
    }

    /**
     * @param values the row's values as text, null for NULL
     * @param types each value's column type as {@code format_type} renders it (from the catalog)
     * @return the index of the first value its type refuses, or -1
     */
    public static int firstInvalid(Connection connection, int serverVersion, String[] values, List<String> types)
            throws SQLException {
        for (int i = 0; i < values.length; i++) {
            // no value of any type holds a NUL, and a query cannot even carry it as a parameter (22021)
            if (values[i] != null && values[i].indexOf('\0') >= 0) {
                return i;
            }
        }
        if (serverVersion >= 16) {
            try (PreparedStatement statement = connection.prepareStatement(FIRST_INVALID)) {
                Array valueArray = connection.createArrayOf("text", values);
                Array typeArray = connection.createArrayOf("text", types.toArray(String[]::new));
                statement.setArray(1, valueArray);
                statement.setArray(2, typeArray);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? rs.getInt(1) - 1 : -1;
                }
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                continue;
            }
            String value = values[i];
            // the type text comes from the catalog (format_type), never from the request
            String cast = "select cast(? as " + types.get(i) + ")";
            SQLException refused = Savepoints.attempt(connection, () -> {
                try (PreparedStatement statement = connection.prepareStatement(cast)) {
                    statement.setString(1, value);
                    statement.executeQuery().close();
                }
            });
            if (refused != null) {
                return i;
            }
        }
        return -1;
    }
}
